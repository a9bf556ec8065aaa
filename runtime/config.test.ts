import { describe, expect, it } from 'vitest';
import { RuntimeConfigError, runtimeConfig } from './config.js';
import type { AgentMetadata } from './metadata.js';

const metadata: AgentMetadata = {
  name: 'echo',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [],
  resources: [],
  prompts: [],
};

describe('runtimeConfig: MCP_MESH_REQUEST_STATE_KEY', () => {
  it('is optional, and taken as given when 32 bytes or longer', () => {
    expect(runtimeConfig(metadata, {}).requestStateKey).toBeUndefined();
    const key = 'x'.repeat(32);
    expect(runtimeConfig(metadata, { MCP_MESH_REQUEST_STATE_KEY: key }).requestStateKey).toBe(key);
  });

  it('refuses a key too short to sign with', () => {
    expect(() => runtimeConfig(metadata, { MCP_MESH_REQUEST_STATE_KEY: 'short' })).toThrow(
      new RuntimeConfigError(
        'MCP_MESH_REQUEST_STATE_KEY',
        'MCP_MESH_REQUEST_STATE_KEY must be at least 32 bytes long (got 5)',
      ),
    );
  });
});

describe('runtimeConfig: the shared environment rules', () => {
  it('takes the predecessor’s log level names in any case, and pino’s', () => {
    expect(runtimeConfig(metadata, { MCP_MESH_LOG_LEVEL: 'WARNING' }).logLevel).toBe('warn');
    expect(runtimeConfig(metadata, { MCP_MESH_LOG_LEVEL: 'critical' }).logLevel).toBe('fatal');
    expect(runtimeConfig(metadata, { MCP_MESH_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(runtimeConfig(metadata, {}).logLevel).toBe('info');
  });

  it('refuses an unknown log level, naming the variable and the allowed values', () => {
    expect(() => runtimeConfig(metadata, { MCP_MESH_LOG_LEVEL: 'LOUD' })).toThrow(
      /^MCP_MESH_LOG_LEVEL=LOUD is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL/,
    );
  });

  it('MCP_MESH_DEBUG_MODE=true logs at debug', () => {
    expect(runtimeConfig(metadata, { MCP_MESH_DEBUG_MODE: 'true' }).logLevel).toBe('debug');
    expect(
      runtimeConfig(metadata, { MCP_MESH_DEBUG_MODE: 'false', MCP_MESH_LOG_LEVEL: 'ERROR' })
        .logLevel,
    ).toBe('error');
  });

  it('refuses a zero or negative heartbeat interval or session TTL', () => {
    for (const name of ['MCP_MESH_HEALTH_INTERVAL', 'MCP_MESH_SESSION_TTL'])
      for (const raw of ['0', '-1'])
        expect(() => runtimeConfig(metadata, { [name]: raw }), `${name}=${raw}`).toThrow(
          new RuntimeConfigError(
            name,
            `${name}=${raw} is not a positive duration: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)`,
          ),
        );
  });

  it('reads durations in seconds or with a unit; waits may be zero', () => {
    const config = runtimeConfig(metadata, {
      MCP_MESH_HEALTH_INTERVAL: '250ms',
      MCP_MESH_STARTUP_WAIT: '0',
      MCP_MESH_SHUTDOWN_TIMEOUT: '1m',
      MCP_MESH_SESSION_TTL: '2',
    });
    expect(config).toMatchObject({
      heartbeatIntervalMs: 250,
      startupWaitMs: 0,
      shutdownTimeoutMs: 60_000,
      sessionTtlMs: 2_000,
    });
  });

  it('serves session-less 2025 calls unless MCP_MESH_SESSIONLESS_CALLS is false', () => {
    expect(runtimeConfig(metadata, {}).sessionlessCalls).toBeUndefined();
    expect(runtimeConfig(metadata, { MCP_MESH_SESSIONLESS_CALLS: 'false' }).sessionlessCalls).toBe(
      false,
    );
    expect(() => runtimeConfig(metadata, { MCP_MESH_SESSIONLESS_CALLS: 'maybe' })).toThrow(
      RuntimeConfigError,
    );
  });

  it('refuses a port out of range', () => {
    expect(() => runtimeConfig(metadata, { MCP_MESH_HTTP_PORT: '70000' })).toThrow(
      new RuntimeConfigError(
        'MCP_MESH_HTTP_PORT',
        'MCP_MESH_HTTP_PORT=70000 is not an integer between 0 and 65535',
      ),
    );
  });
});

describe('runtimeConfig: trust', () => {
  it('is off with neither MCP_MESH_CREDENTIAL_FILE nor MCP_MESH_TRUST_KEY', () => {
    expect(runtimeConfig(metadata, {}).trust).toBeUndefined();
  });

  it('reads the credential file, the trust key and the caller token lifetime', () => {
    expect(
      runtimeConfig(metadata, {
        MCP_MESH_CREDENTIAL_FILE: '/etc/mesh/credential.json',
        MCP_MESH_TRUST_KEY: '/etc/mesh/mesh-signing.pub',
        MCP_MESH_CALLER_TOKEN_TTL: '2m',
      }).trust,
    ).toEqual({
      credentialFile: '/etc/mesh/credential.json',
      trustKey: '/etc/mesh/mesh-signing.pub',
      callerTokenTtlSeconds: 120,
    });
  });

  it('refuses a caller token lifetime outside 5 s to 1 h', () => {
    for (const ttl of ['1', '2h']) {
      expect(() => runtimeConfig(metadata, { MCP_MESH_CALLER_TOKEN_TTL: ttl })).toThrow(
        RuntimeConfigError,
      );
    }
  });
});
