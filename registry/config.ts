import { parseDatabaseUrl } from './store/database-url.js';

/** Settings of one registry process. */
export interface RegistryConfig {
  readonly host: string;
  readonly port: number;
  /** `DATABASE_URL`: unset for the embedded SQLite file, `file:…` or `postgres://…`. */
  readonly databaseUrl: string | undefined;
  /** Milliseconds of silence after which an agent is unhealthy. */
  readonly unhealthyAfterMs: number;
  /** Milliseconds between health scans. */
  readonly healthCheckIntervalMs: number;
  /** Milliseconds an unhealthy agent is kept before it is forgotten. */
  readonly evictAfterMs: number;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** Events kept in storage; older ones are deleted. */
  readonly maxEvents: number;
  /** Milliseconds between reads of other replicas' changes from the shared database. */
  readonly replicaSyncIntervalMs: number;
}

/** Thrown when an environment variable has a value the registry cannot use. */
export class RegistryConfigError extends Error {
  override readonly name = 'RegistryConfigError';
}

/**
 * Reads the registry's settings from the environment (the predecessor's names): HOST, PORT
 * (default 8000), DATABASE_URL, DEFAULT_TIMEOUT_THRESHOLD (seconds, default 20),
 * HEALTH_CHECK_INTERVAL (seconds, default 1), MCP_MESH_EVICT_AFTER (seconds, default 3600),
 * MCP_MESH_REGISTRY_BODY_LIMIT (bytes, default 1 MiB), MCP_MESH_MAX_EVENTS (default 10000),
 * MCP_MESH_REGISTRY_SYNC_INTERVAL (seconds between reads of other replicas' changes, default 0.5).
 */
export function registryConfigFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
): RegistryConfig {
  return {
    host: environment.HOST ?? '127.0.0.1',
    port: integer(environment, 'PORT', 8000, 0, 65535),
    databaseUrl: checkedDatabaseUrl(environment.DATABASE_URL),
    unhealthyAfterMs: seconds(environment, 'DEFAULT_TIMEOUT_THRESHOLD', 20),
    healthCheckIntervalMs: seconds(environment, 'HEALTH_CHECK_INTERVAL', 1),
    evictAfterMs: seconds(environment, 'MCP_MESH_EVICT_AFTER', 3600),
    bodyLimit: integer(
      environment,
      'MCP_MESH_REGISTRY_BODY_LIMIT',
      1_048_576,
      1024,
      64 * 1_048_576,
    ),
    maxEvents: integer(environment, 'MCP_MESH_MAX_EVENTS', 10_000, 10, 10_000_000),
    replicaSyncIntervalMs: seconds(environment, 'MCP_MESH_REGISTRY_SYNC_INTERVAL', 0.5),
  };
}

function integer(
  environment: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RegistryConfigError(`${name}=${raw} is not an integer between ${min} and ${max}`);
  }
  return value;
}

function seconds(environment: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RegistryConfigError(`${name}=${raw} is not a positive number of seconds`);
  }
  return value * 1000;
}

function checkedDatabaseUrl(url: string | undefined): string | undefined {
  parseDatabaseUrl(url);
  return url === '' ? undefined : url;
}
