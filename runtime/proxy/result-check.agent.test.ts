// A typed proxy checks what a real provider (in process, real HTTP, real MCP) returns against
// the provider's output schema in the spec: a bare string where `{ date: string }` is promised
// fails with MeshError invalid_result; a matching result passes untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, toolMetadata } from '../../test/e2e/runtime/support/mesh.js';
import { defineAgent } from '../agent/define-agent.js';
import { MeshError } from '../errors/mesh-error.js';
import { type RunningAgent, runAgent } from '../run-agent.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { McpConnections } from './mcp-connections.js';
import { RemoteCapabilityProxy } from './remote-proxy.js';
import { compileResultCheck } from './result-check.js';

const promised = {
  type: 'object',
  properties: { date: { type: 'string' } },
  required: ['date'],
} as const;

// The provider declares no output schema, so nothing on its side stops the bare string.
const provider = defineAgent({
  metadata: {
    name: 'loose-clock',
    version: '1.0.0',
    namespace: 'default',
    port: 0,
    tools: [toolMetadata('bare', 'date_bare'), toolMetadata('proper', 'date_proper')],
    resources: [],
    prompts: [],
  },
  handlers: {
    tools: {
      bare: () => '2026-12-07',
      proper: () => ({ date: '2026-12-07' }),
    },
  },
  proxyDefaults: {},
});

describe('RemoteCapabilityProxy result check against a real provider', () => {
  let agent: RunningAgent;
  let connections: McpConnections;

  beforeAll(async () => {
    agent = await runAgent(provider, testConfig(provider, undefined));
    connections = new McpConnections('result-check-test');
  });

  afterAll(async () => {
    await connections?.close();
    await agent?.stop();
  });

  const proxyOf = (tool: string) =>
    new RemoteCapabilityProxy<Record<string, never>, { date: string }>(
      'date_service',
      [{ agentId: agent.agentId, functionName: tool, endpoint: agent.url, kwargs: {} }],
      {},
      { connections, breaker: () => new CircuitBreaker() },
      compileResultCheck('date_service', promised),
    );

  it('fails a result that does not match the output schema with invalid_result, not retried', async () => {
    const thrown = await proxyOf('bare')
      .call({})
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(thrown).toBeInstanceOf(MeshError);
    const error = thrown as MeshError;
    expect(error.code).toBe('invalid_result');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${agent.agentId}.bare returned a result that does not match`);
    expect(error.message).toContain('result must be object');
    expect(error.details).toMatchObject({ capability: 'date_service' });
  });

  it('passes a matching result through unchanged', async () => {
    expect(await proxyOf('proper').call({})).toEqual({ date: '2026-12-07' });
  });

  it('checks nothing without a schema, or with one that does not compile', () => {
    expect(compileResultCheck('c', undefined)).toBeUndefined();
    const uncompilable = compileResultCheck('c', { type: 'no-such-type' });
    expect(() => uncompilable?.('anything', 'provider-1')).not.toThrow();
    expect(() => compileResultCheck('c', { type: 'object' })?.('text', 'provider-1')).toThrow(
      /does not match the output schema of c/,
    );
  });
});
