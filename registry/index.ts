/**
 * The registry as a library: start one in process (what `meshctl registry start` does), its
 * configuration from the environment, and the API's types from its OpenAPI document.
 * @module @mcp-mesh/registry
 */
export type {
  components as RegistryApiSchemas,
  paths as RegistryApiPaths,
} from '../generated/registry-api.js';
export {
  type RegistryConfig,
  RegistryConfigError,
  registryConfigFromEnvironment,
} from './config.js';
export { type RunningRegistry, startRegistry } from './start-registry.js';
export {
  type DatabaseTarget,
  DatabaseUrlError,
  databaseTargetFromEnvironment,
  defaultSqlitePath,
  describeDatabaseTarget,
  parseDatabaseUrl,
} from './store/database-url.js';
