/**
 * The agent runtime: what generated code and hand-written agents import.
 * @module @mcp-mesh/runtime
 */

// The MCP SDK types that handler APIs take and answer, so handlers need not import the SDK.
export type {
  ClientCapabilities,
  ContentBlock,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
  InputRequest,
  InputResponseView,
  ListRootsResult,
} from '@modelcontextprotocol/server';
export type { ClientChannel } from './agent/client-channel.js';
export type {
  AgentCompletions,
  CompletionContext,
  CompletionHandler,
} from './agent/completions.js';
export type { ContextLogger, ToolContext } from './agent/context.js';
export { type AgentDefinition, defineAgent } from './agent/define-agent.js';
export { handlerContext } from './agent/handler-context.js';
export type {
  AgentHandlers,
  PromptContent,
  PromptHandler,
  PromptMessageContent,
  ResourceContent,
  ResourceHandler,
  ToolHandler,
} from './agent/handlers.js';
export { InputRequired } from './agent/input-required.js';
export type { InputRounds } from './agent/input-rounds.js';
export type { CallOptions, CapabilityProxy, ProxyDefaults, StreamChunk } from './agent/proxy.js';
export { type RuntimeConfig, RuntimeConfigError, runtimeConfig } from './config.js';
export {
  type ClientFeature,
  ClientRequestError,
  type ClientRequestErrorCode,
  clientRequestErrorCodes,
} from './errors/client-request-error.js';
export { MeshError, type MeshErrorCode, meshErrorCodes } from './errors/mesh-error.js';
export {
  type AgentServer,
  type AgentServerOptions,
  startAgentServer,
} from './hosting/start-agent-server.js';
export { parseDurationMs, parseSizeBytes } from './kwargs/units.js';
export type * from './metadata.js';
export { type PlainServerMetadata, serverAddress } from './plain-servers/plain-server.js';
export {
  type PlainServerRegistrar,
  type PlainServerRegistrarOptions,
  plainRegistrationBody,
  startPlainServerRegistrar,
} from './plain-servers/registrar.js';
export { type RunningAgent, runAgent } from './run-agent.js';
