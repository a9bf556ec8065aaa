import { randomBytes } from 'node:crypto';
import {
  EnvironmentError,
  type EnvironmentReader,
  type LogLevel,
  readEnvironment,
} from './config/environment.js';
import { listenAddress } from './hosting/listen-address.js';
import type { AgentMetadata } from './metadata.js';
import { readTlsSettings, type TlsSettings } from './tls/tls-settings.js';
import type { AgentTrustSettings } from './trust/agent-trust.js';

/** Settings of one running agent; environment beats spec, spec beats defaults. */
export interface RuntimeConfig {
  readonly agentId: string;
  /** Interface to bind (`HOST`). */
  readonly host: string;
  /** Host registered for other agents to reach this one by (`MCP_MESH_HTTP_HOST`); default: `host` unless a wildcard. */
  readonly announcedHost?: string;
  /** More hostnames `/mcp` accepts in Host/Origin (`MCP_MESH_HTTP_ALLOWED_HOSTS`): a Service's names. */
  readonly allowedHosts?: readonly string[];
  readonly port: number;
  /** Undefined: run standalone, no registry. */
  readonly registryUrl: string | undefined;
  readonly heartbeatIntervalMs: number;
  readonly authToken: string | undefined;
  readonly propagateHeaders: readonly string[];
  readonly startupWaitMs: number;
  readonly shutdownTimeoutMs: number;
  /** pino's name of the level (MCP_MESH_LOG_LEVEL reads the predecessor's names too). */
  readonly logLevel: LogLevel;
  /** Where session ownership lives; undefined keeps it in memory. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key the agent writes. */
  readonly redisKeyPrefix: string;
  /** How long a session stays with its replica after its last call. */
  readonly sessionTtlMs: number;
  /** Signs multi-round requestState; absent: a random key of this process. */
  readonly requestStateKey?: string;
  /** HTTPS served and trusted (MCP_MESH_TLS_*); undefined: plain HTTP. */
  readonly tls?: TlsSettings;
  /** Credentials and caller tokens (docs/security.md); undefined: trust off. */
  readonly trust?: AgentTrustSettings;
  /**
   * Whether a 2025-era call sent without `initialize` is served as a one-shot stateless call
   * (`MCP_MESH_SESSIONLESS_CALLS`, default true); false answers it 400.
   */
  readonly sessionlessCalls?: boolean;
}

/** An environment variable has a value the runtime cannot use; the message says what to write. */
export class RuntimeConfigError extends EnvironmentError {
  override readonly name = 'RuntimeConfigError';
}

/**
 * Reads MCP_MESH_AGENT_ID, HOST (interface to bind) and MCP_MESH_HTTP_HOST (host announced to
 * the registry; see `listenAddress`), MCP_MESH_HTTP_ALLOWED_HOSTS (comma-separated hostnames
 * `/mcp` accepts besides its own, e.g. a Service's), MCP_MESH_HTTP_PORT, MCP_MESH_REGISTRY_URL
 * (default http://localhost:8000; empty or `off` runs standalone), MCP_MESH_HEALTH_INTERVAL
 * (5 s), MCP_MESH_AUTH_TOKEN, MCP_MESH_PROPAGATE_HEADERS (comma-separated),
 * MCP_MESH_STARTUP_WAIT (20 s), MCP_MESH_SHUTDOWN_TIMEOUT (10 s), MCP_MESH_LOG_LEVEL (info) and
 * MCP_MESH_DEBUG_MODE (false; true logs at debug), and for session affinity REDIS_URL (default
 * redis://localhost:6379; empty or `off` keeps ownership in memory), MCP_MESH_REDIS_PREFIX
 * (`mcp-mesh:`), MCP_MESH_SESSION_TTL (3600 s), and MCP_MESH_REQUEST_STATE_KEY (at least 32
 * bytes; signs multi-round requestState), and for trust MCP_MESH_CREDENTIAL_FILE (this agent's
 * credential: sent to the registry, signs caller tokens), MCP_MESH_TRUST_KEY (the mesh public
 * key, PEM text or a file path: auth_required tools then verify caller tokens) and
 * MCP_MESH_CALLER_TOKEN_TTL (60 s), and for HTTPS MCP_MESH_TLS_CERT and MCP_MESH_TLS_KEY (serve
 * it) and MCP_MESH_TLS_CA (CAs trusted besides the system's; with any TLS setting, providers
 * are called over HTTPS). Durations are seconds or a number with a unit
 * (`250ms`, `5s`, `2m`); see `readEnvironment` for the rules. Throws RuntimeConfigError.
 */
export function runtimeConfig(
  metadata: AgentMetadata,
  environment: NodeJS.ProcessEnv = process.env,
): RuntimeConfig {
  const env = readEnvironment(environment, RuntimeConfigError);
  const registry = environment.MCP_MESH_REGISTRY_URL ?? 'http://localhost:8000';
  const redis = environment.REDIS_URL ?? 'redis://localhost:6379';
  const requestStateKey = signingKey(env, 'MCP_MESH_REQUEST_STATE_KEY');
  const address = listenAddress({
    bind: env.text('HOST'),
    announce: env.text('MCP_MESH_HTTP_HOST'),
    specHost: metadata.host,
  });
  return {
    agentId: env.text('MCP_MESH_AGENT_ID') ?? `${metadata.name}-${randomBytes(4).toString('hex')}`,
    host: address.host,
    announcedHost: address.announcedHost,
    allowedHosts: commaList(environment.MCP_MESH_HTTP_ALLOWED_HOSTS),
    port: env.integer('MCP_MESH_HTTP_PORT', metadata.port, { min: 0, max: 65_535 }),
    registryUrl: registry === '' || registry === 'off' ? undefined : registry.replace(/\/+$/, ''),
    heartbeatIntervalMs: env.durationMs('MCP_MESH_HEALTH_INTERVAL', 5_000),
    authToken: env.text('MCP_MESH_AUTH_TOKEN'),
    propagateHeaders: (environment.MCP_MESH_PROPAGATE_HEADERS ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
    startupWaitMs: env.durationMs('MCP_MESH_STARTUP_WAIT', 20_000, { allowZero: true }),
    shutdownTimeoutMs: env.durationMs('MCP_MESH_SHUTDOWN_TIMEOUT', 10_000, { allowZero: true }),
    logLevel: env.boolean('MCP_MESH_DEBUG_MODE', false)
      ? 'debug'
      : env.logLevel('MCP_MESH_LOG_LEVEL', 'info'),
    redisUrl: redis === '' || redis === 'off' ? undefined : redis,
    redisKeyPrefix: env.text('MCP_MESH_REDIS_PREFIX') ?? 'mcp-mesh:',
    sessionTtlMs: env.durationMs('MCP_MESH_SESSION_TTL', 3_600_000),
    ...(requestStateKey === undefined ? {} : { requestStateKey }),
    ...(env.boolean('MCP_MESH_SESSIONLESS_CALLS', true) ? {} : { sessionlessCalls: false }),
    ...trustSettings(env),
    ...tlsSettings(env),
  };
}

function tlsSettings(env: EnvironmentReader): { tls?: TlsSettings } {
  const tls = readTlsSettings(env, RuntimeConfigError);
  return tls === undefined ? {} : { tls };
}

function trustSettings(env: EnvironmentReader): { trust?: AgentTrustSettings } {
  const credentialFile = env.text('MCP_MESH_CREDENTIAL_FILE');
  const trustKey = env.text('MCP_MESH_TRUST_KEY');
  const ttlMs = env.durationMs('MCP_MESH_CALLER_TOKEN_TTL', 60_000);
  if (ttlMs < 5_000 || ttlMs > 3_600_000)
    throw new RuntimeConfigError(
      'MCP_MESH_CALLER_TOKEN_TTL',
      `MCP_MESH_CALLER_TOKEN_TTL must be from 5s to 1h (got ${ttlMs} ms): a caller token is short-lived`,
    );
  if (credentialFile === undefined && trustKey === undefined) return {};
  return {
    trust: {
      ...(credentialFile === undefined ? {} : { credentialFile }),
      ...(trustKey === undefined ? {} : { trustKey }),
      callerTokenTtlSeconds: Math.round(ttlMs / 1000),
    },
  };
}

/** Hostnames, comma-separated: lower case, blanks dropped. */
function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

// HMAC-SHA256 keys shorter than its 32-byte block of entropy are refused by the SDK's codec.
function signingKey(env: EnvironmentReader, name: string): string | undefined {
  const raw = env.text(name);
  if (raw === undefined) return undefined;
  if (Buffer.byteLength(raw) < 32)
    throw new RuntimeConfigError(
      name,
      `${name} must be at least 32 bytes long (got ${Buffer.byteLength(raw)})`,
    );
  return raw;
}
