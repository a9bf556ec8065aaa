import { describe, expect, it } from 'vitest';
import { RegistryConfigError, registryConfigFromEnvironment } from './config.js';

describe('registryConfigFromEnvironment', () => {
  it('takes the predecessor’s log level names in any case (MCP_MESH_LOG_LEVEL=WARNING)', () => {
    expect(registryConfigFromEnvironment({ MCP_MESH_LOG_LEVEL: 'WARNING' }).logLevel).toBe('warn');
    expect(registryConfigFromEnvironment({ MCP_MESH_LOG_LEVEL: 'Critical' }).logLevel).toBe(
      'fatal',
    );
    expect(registryConfigFromEnvironment({}).logLevel).toBe('info');
    expect(registryConfigFromEnvironment({ MCP_MESH_DEBUG_MODE: 'yes' }).logLevel).toBe('debug');
  });

  it('refuses an unknown log level, naming the variable and the allowed values', () => {
    expect(() => registryConfigFromEnvironment({ MCP_MESH_LOG_LEVEL: 'LOUD' })).toThrow(
      new RegistryConfigError(
        'MCP_MESH_LOG_LEVEL',
        'MCP_MESH_LOG_LEVEL=LOUD is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL, or trace, debug, info, warn, error, fatal, silent (any case)',
      ),
    );
  });

  it('reads durations in seconds or with a unit, and refuses zero or negative intervals', () => {
    const config = registryConfigFromEnvironment({
      DEFAULT_TIMEOUT_THRESHOLD: '30s',
      HEALTH_CHECK_INTERVAL: '200ms',
      MCP_MESH_EVICT_AFTER: '1h',
      MCP_MESH_REGISTRY_SYNC_INTERVAL: '0.25',
    });
    expect(config).toMatchObject({
      unhealthyAfterMs: 30_000,
      healthCheckIntervalMs: 200,
      evictAfterMs: 3_600_000,
      replicaSyncIntervalMs: 250,
    });
    expect(() => registryConfigFromEnvironment({ HEALTH_CHECK_INTERVAL: '0' })).toThrow(
      'HEALTH_CHECK_INTERVAL=0 is not a positive duration: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)',
    );
  });

  it('refuses integers out of range with the same words as the runtime', () => {
    expect(() => registryConfigFromEnvironment({ PORT: '-1' })).toThrow(
      new RegistryConfigError('PORT', 'PORT=-1 is not an integer between 0 and 65535'),
    );
  });

  it('turns registration trust on with MCP_MESH_TRUST_KEY; protected events need it', () => {
    expect(registryConfigFromEnvironment({}).trust).toBeUndefined();
    expect(
      registryConfigFromEnvironment({
        MCP_MESH_TRUST_KEY: '/etc/mesh/mesh-signing.pub',
        MCP_MESH_TRUST_PROTECT_EVENTS: 'true',
      }).trust,
    ).toEqual({ trustKey: '/etc/mesh/mesh-signing.pub', protectEvents: true });
    expect(() => registryConfigFromEnvironment({ MCP_MESH_TRUST_PROTECT_EVENTS: 'true' })).toThrow(
      /needs MCP_MESH_TRUST_KEY/,
    );
  });
});
