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
      new RuntimeConfigError('MCP_MESH_REQUEST_STATE_KEY must be at least 32 bytes long (got 5)'),
    );
  });
});
