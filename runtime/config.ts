import { randomBytes } from 'node:crypto';
import type { AgentMetadata } from './metadata.js';

/** Settings of one running agent; environment beats spec, spec beats defaults. */
export interface RuntimeConfig {
  readonly agentId: string;
  readonly host: string;
  readonly port: number;
  /** Undefined: run standalone, no registry. */
  readonly registryUrl: string | undefined;
  readonly heartbeatIntervalMs: number;
  readonly authToken: string | undefined;
  readonly propagateHeaders: readonly string[];
  readonly startupWaitMs: number;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
  /** Where session ownership lives; undefined keeps it in memory. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key the agent writes. */
  readonly redisKeyPrefix: string;
  /** How long a session stays with its replica after its last call. */
  readonly sessionTtlMs: number;
  /** Signs multi-round requestState; absent: a random key of this process. */
  readonly requestStateKey?: string;
}

/** An environment variable has a value the runtime cannot use. */
export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

/**
 * Reads MCP_MESH_AGENT_ID, MCP_MESH_HTTP_HOST, MCP_MESH_HTTP_PORT, MCP_MESH_REGISTRY_URL
 * (default http://localhost:8000; empty or `off` runs standalone), MCP_MESH_HEALTH_INTERVAL
 * (s, 5), MCP_MESH_AUTH_TOKEN, MCP_MESH_PROPAGATE_HEADERS (comma-separated),
 * MCP_MESH_STARTUP_WAIT (s, 20), MCP_MESH_SHUTDOWN_TIMEOUT (s, 10), MCP_MESH_LOG_LEVEL, and for
 * session affinity REDIS_URL (default redis://localhost:6379; empty or `off` keeps ownership in
 * memory), MCP_MESH_REDIS_PREFIX (`mcp-mesh:`), MCP_MESH_SESSION_TTL (s, 3600), and
 * MCP_MESH_REQUEST_STATE_KEY (at least 32 bytes; signs multi-round requestState).
 */
export function runtimeConfig(
  metadata: AgentMetadata,
  environment: NodeJS.ProcessEnv = process.env,
): RuntimeConfig {
  const registry = environment.MCP_MESH_REGISTRY_URL ?? 'http://localhost:8000';
  const redis = environment.REDIS_URL ?? 'redis://localhost:6379';
  return {
    agentId: environment.MCP_MESH_AGENT_ID || `${metadata.name}-${randomBytes(4).toString('hex')}`,
    host: environment.MCP_MESH_HTTP_HOST || metadata.host || '127.0.0.1',
    port: integer(environment, 'MCP_MESH_HTTP_PORT', metadata.port),
    registryUrl: registry === '' || registry === 'off' ? undefined : registry.replace(/\/+$/, ''),
    heartbeatIntervalMs: seconds(environment, 'MCP_MESH_HEALTH_INTERVAL', 5),
    authToken: environment.MCP_MESH_AUTH_TOKEN || undefined,
    propagateHeaders: (environment.MCP_MESH_PROPAGATE_HEADERS ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
    startupWaitMs: seconds(environment, 'MCP_MESH_STARTUP_WAIT', 20),
    shutdownTimeoutMs: seconds(environment, 'MCP_MESH_SHUTDOWN_TIMEOUT', 10),
    logLevel: environment.MCP_MESH_LOG_LEVEL || 'info',
    redisUrl: redis === '' || redis === 'off' ? undefined : redis,
    redisKeyPrefix: environment.MCP_MESH_REDIS_PREFIX || 'mcp-mesh:',
    sessionTtlMs: seconds(environment, 'MCP_MESH_SESSION_TTL', 3600),
    requestStateKey: signingKey(environment, 'MCP_MESH_REQUEST_STATE_KEY'),
  };
}

// HMAC-SHA256 keys shorter than its 32-byte block of entropy are refused by the SDK's codec.
function signingKey(environment: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = environment[name];
  if (raw === undefined || raw === '') return undefined;
  if (Buffer.byteLength(raw) < 32)
    throw new RuntimeConfigError(
      `${name} must be at least 32 bytes long (got ${Buffer.byteLength(raw)})`,
    );
  return raw;
}

function integer(environment: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new RuntimeConfigError(`${name}=${raw} is not a port (0-65535)`);
  return value;
}

function seconds(environment: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new RuntimeConfigError(`${name}=${raw} is not a number of seconds`);
  return value * 1000;
}
