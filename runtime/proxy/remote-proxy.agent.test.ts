// The remote proxy's circuit breaker against a real provider (in process, real HTTP, real MCP)
// that hangs: what a timeout, a cancelled call and a probe do to the provider's circuit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultyProvider } from '../../test/e2e/runtime/support/agents.js';
import { eventually, testConfig } from '../../test/e2e/runtime/support/mesh.js';
import { MeshError } from '../errors/mesh-error.js';
import { type RunningAgent, runAgent } from '../run-agent.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { McpConnections } from './mcp-connections.js';
import { RemoteCapabilityProxy } from './remote-proxy.js';

describe('RemoteCapabilityProxy circuit against a hanging provider', () => {
  const provider = faultyProvider('hanging', { slow: 'hang' }, { slow: { timeout: 0.2 } });
  let agent: RunningAgent;
  let connections: McpConnections;

  beforeAll(async () => {
    agent = await runAgent(provider.definition, testConfig(provider.definition, undefined));
    connections = new McpConnections('circuit-test');
  });

  afterAll(async () => {
    await connections?.close();
    await agent?.stop();
  });

  async function failure(promise: Promise<unknown>): Promise<MeshError> {
    const thrown = await promise.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(MeshError);
    return thrown as MeshError;
  }

  it('a cancelled half-open probe leaves the circuit open: the next failing probe re-opens it at once', async () => {
    const breaker = new CircuitBreaker(2, 100);
    const proxy = new RemoteCapabilityProxy<{ ms: number }, unknown>(
      'hang',
      [{ agentId: agent.agentId, functionName: 'slow', endpoint: agent.url, kwargs: {} }],
      { timeout: 0.2 },
      { connections, breaker: () => breaker },
    );
    const hang = { ms: 60_000 };
    expect((await failure(proxy.call(hang))).code).toBe('timeout');
    expect((await failure(proxy.call(hang))).code).toBe('timeout');
    expect(breaker.state).toBe('open');

    await eventually('the cool-down to pass', () => breaker.isAvailable());
    const controller = new AbortController();
    const started = provider.log.slowStarted();
    const probe = proxy.call(hang, { signal: controller.signal });
    await started;
    expect(breaker.state).toBe('half-open');
    controller.abort();
    expect((await failure(probe)).code).toBe('cancelled');
    // The cancellation said nothing about the provider: still open, the probe slot free.
    expect(breaker.state).toBe('open');

    await eventually('the probe slot to be free', () => breaker.isAvailable());
    const callsBefore = provider.log.calls.slow;
    expect((await failure(proxy.call(hang))).code).toBe('timeout');
    expect(provider.log.calls.slow).toBe((callsBefore ?? 0) + 1);
    // One failed probe re-opens the circuit: callers do not pay two more timeouts.
    expect(breaker.state).toBe('open');
  });

  it('a call cancelled while the circuit is closed leaves the failure count as it was', async () => {
    const breaker = new CircuitBreaker(2, 60_000);
    const proxy = new RemoteCapabilityProxy<{ ms: number }, unknown>(
      'hang',
      [{ agentId: agent.agentId, functionName: 'slow', endpoint: agent.url, kwargs: {} }],
      { timeout: 0.2 },
      { connections, breaker: () => breaker },
    );
    const hang = { ms: 60_000 };
    expect((await failure(proxy.call(hang))).code).toBe('timeout');
    const controller = new AbortController();
    const started = provider.log.slowStarted();
    const cancelled = proxy.call(hang, { signal: controller.signal });
    await started;
    controller.abort();
    expect((await failure(cancelled)).code).toBe('cancelled');
    expect(breaker.state).toBe('closed');
    expect((await failure(proxy.call(hang))).code).toBe('timeout');
    // Two consecutive failures with a cancellation between them: the threshold is reached.
    expect(breaker.state).toBe('open');
    expect((await failure(proxy.call(hang))).code).toBe('circuit_open');
  });
});
