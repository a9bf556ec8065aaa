import {
  EnvironmentError,
  type LogLevel,
  readEnvironment,
  readTlsSettings,
  type TlsSettings,
} from '@mcp-mesh/runtime/shared';
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
  /** pino's name of the level (MCP_MESH_LOG_LEVEL reads the predecessor's names too). */
  readonly logLevel: LogLevel;
  /** HTTPS served (MCP_MESH_TLS_CERT/KEY) and trusted towards agents (MCP_MESH_TLS_CA). */
  readonly tls?: TlsSettings;
  /** Registration trust (MCP_MESH_TRUST_KEY); undefined: anyone who reaches the registry may register. */
  readonly trust?: RegistryTrustSettings;
}

/** What registration trust checks (docs/security.md). */
export interface RegistryTrustSettings {
  /** The mesh's public key(s): PEM text or the path of a PEM file. */
  readonly trustKey: string;
  /** `GET /events` needs an admin credential too (MCP_MESH_TRUST_PROTECT_EVENTS). */
  readonly protectEvents: boolean;
}

/** An environment variable has a value the registry cannot use; the message says what to write. */
export class RegistryConfigError extends EnvironmentError {
  override readonly name = 'RegistryConfigError';
}

/**
 * Reads the registry's settings from the environment (the predecessor's names): HOST, PORT
 * (default 8000), DATABASE_URL, DEFAULT_TIMEOUT_THRESHOLD (default 20 s), HEALTH_CHECK_INTERVAL
 * (default 1 s), MCP_MESH_EVICT_AFTER (default 3600 s), MCP_MESH_REGISTRY_BODY_LIMIT (bytes,
 * default 1 MiB), MCP_MESH_MAX_EVENTS (default 10000), MCP_MESH_REGISTRY_SYNC_INTERVAL (between
 * reads of other replicas' changes, default 0.5 s), MCP_MESH_LOG_LEVEL (info) and
 * MCP_MESH_DEBUG_MODE (false; true logs at debug), and for registration trust MCP_MESH_TRUST_KEY
 * (the mesh's public key, PEM text or a file path; unset: trust off) and
 * MCP_MESH_TRUST_PROTECT_EVENTS (false; true: event reads need an admin credential), and
 * MCP_MESH_TLS_CERT, MCP_MESH_TLS_KEY (serve HTTPS) and MCP_MESH_TLS_CA (CAs of the agents'
 * certificates; with any TLS setting the proxy relays to agents over HTTPS). Durations are seconds or a number with a unit
 * (`250ms`, `5s`, `2m`), by the same rules as the agents' (`readEnvironment`); every one of them
 * must be positive. Throws RegistryConfigError.
 */
export function registryConfigFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
): RegistryConfig {
  const env = readEnvironment(environment, RegistryConfigError);
  const trustKey = env.text('MCP_MESH_TRUST_KEY');
  const protectEvents = env.boolean('MCP_MESH_TRUST_PROTECT_EVENTS', false);
  if (protectEvents && trustKey === undefined) {
    throw new RegistryConfigError(
      'MCP_MESH_TRUST_PROTECT_EVENTS',
      'MCP_MESH_TRUST_PROTECT_EVENTS=true needs MCP_MESH_TRUST_KEY (the mesh public key) to check admin credentials',
    );
  }
  return {
    host: environment.HOST ?? '127.0.0.1',
    port: env.integer('PORT', 8000, { min: 0, max: 65_535 }),
    databaseUrl: checkedDatabaseUrl(environment.DATABASE_URL),
    unhealthyAfterMs: env.durationMs('DEFAULT_TIMEOUT_THRESHOLD', 20_000),
    healthCheckIntervalMs: env.durationMs('HEALTH_CHECK_INTERVAL', 1_000),
    evictAfterMs: env.durationMs('MCP_MESH_EVICT_AFTER', 3_600_000),
    bodyLimit: env.integer('MCP_MESH_REGISTRY_BODY_LIMIT', 1_048_576, {
      min: 1024,
      max: 64 * 1_048_576,
    }),
    maxEvents: env.integer('MCP_MESH_MAX_EVENTS', 10_000, { min: 10, max: 10_000_000 }),
    replicaSyncIntervalMs: env.durationMs('MCP_MESH_REGISTRY_SYNC_INTERVAL', 500),
    logLevel: env.boolean('MCP_MESH_DEBUG_MODE', false)
      ? 'debug'
      : env.logLevel('MCP_MESH_LOG_LEVEL', 'info'),
    ...(trustKey === undefined ? {} : { trust: { trustKey, protectEvents } }),
    ...tlsOf(readTlsSettings(env, RegistryConfigError)),
  };
}

function tlsOf(tls: TlsSettings | undefined): { tls?: TlsSettings } {
  return tls === undefined ? {} : { tls };
}

function checkedDatabaseUrl(url: string | undefined): string | undefined {
  parseDatabaseUrl(url);
  return url === '' ? undefined : url;
}
