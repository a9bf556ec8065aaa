/**
 * The agent runtime: what generated code and hand-written agents import.
 * @module mcp-mesh/runtime
 */
export type { ContextLogger, ToolContext } from './agent/context.js';
export { type AgentDefinition, defineAgent } from './agent/define-agent.js';
export type {
  AgentHandlers,
  PromptContent,
  PromptHandler,
  ResourceContent,
  ResourceHandler,
  ToolHandler,
} from './agent/handlers.js';
export type { CallOptions, CapabilityProxy, ProxyDefaults, StreamChunk } from './agent/proxy.js';
export { type RuntimeConfig, RuntimeConfigError, runtimeConfig } from './config.js';
export { MeshError, type MeshErrorCode, meshErrorCodes } from './errors/mesh-error.js';
export {
  type AgentServer,
  type AgentServerOptions,
  startAgentServer,
} from './hosting/start-agent-server.js';
export { parseDurationMs, parseSizeBytes } from './kwargs/units.js';
export type * from './metadata.js';
export { type RunningAgent, runAgent } from './run-agent.js';
