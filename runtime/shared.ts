/**
 * `@mcp-mesh/runtime/shared`: what the registry, the generator and meshctl read the way agents
 * do — environment variables, TLS settings, version ranges — so that the mesh's processes agree
 * on them. Small and free of the MCP SDK: importing it loads none of the agent runtime.
 * @module @mcp-mesh/runtime/shared
 */
export {
  EnvironmentError,
  type EnvironmentErrorType,
  type EnvironmentReader,
  type LogLevel,
  readEnvironment,
} from './config/environment.js';
export { type NpmRange, npmRange } from './dependencies/version-range.js';
export { agentOrigin } from './tls/agent-origin.js';
export { readTlsSettings, serverTls, type TlsSettings, trustedCas } from './tls/tls-settings.js';
