// Caller tokens: the cost of a call to an auth_required tool with caller tokens on (the caller
// attaches its token for the capability, the provider verifies it) against the same call with
// them off, in the same run. Two real provider processes of one agent module
// (bench/trust/guarded-echo-agent.ts): one with MCP_MESH_TRUST_KEY, one without; one mesh proxy
// each, the first with a CallerTokenIssuer. The key pair and credential are made for the run.

import { CircuitBreaker } from '../runtime/proxy/circuit-breaker.js';
import { McpConnections } from '../runtime/proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../runtime/proxy/remote-proxy.js';
import { CallerTokenIssuer } from '../runtime/trust/caller-tokens.js';
import { testMesh } from '../runtime/trust/trust.fixture.js';
import { type Call, latencies, percentile, startAgentProcess } from './measure.js';
import { type BenchResult, median } from './report.js';

const sequentialCalls = 1_000;
const rounds = 5;

export async function run(): Promise<BenchResult[]> {
  const mesh = await testMesh();
  const guarded = await startAgentProcess('bench/trust/guarded-echo-agent.ts', {
    MCP_MESH_TRUST_KEY: mesh.publicPem,
  });
  const open = await startAgentProcess('bench/trust/guarded-echo-agent.ts');
  const connections = new McpConnections('bench-caller');
  const breaker = new CircuitBreaker();
  const callerTokens = new CallerTokenIssuer(await mesh.mint({ agents: ['bench-caller'] }), {
    agentId: 'bench-caller-1',
    name: 'bench-caller',
    namespace: 'default',
  });
  const proxyTo = (endpoint: string, withTokens: boolean) =>
    new RemoteCapabilityProxy<{ text: string }, { text: string }>(
      'echo',
      [
        {
          agentId: 'bench-guarded-echo',
          functionName: 'echo',
          endpoint,
          kwargs: { timeout: 10, auth_required: true },
        },
      ],
      {},
      { connections, breaker: () => breaker, ...(withTokens ? { callerTokens } : {}) },
    );
  const tokenProxy = proxyTo(guarded.url, true);
  const openProxy = proxyTo(open.url, false);
  const calls: Record<'on' | 'off', Call> = {
    on: () => tokenProxy.call({ text: 'hello' }),
    off: () => openProxy.call({ text: 'hello' }),
  };
  try {
    // A call without a token must be refused, or the figure measures nothing.
    const refused = await proxyTo(guarded.url, false)
      .call({ text: 'x' })
      .then(
        () => false,
        () => true,
      );
    if (!refused) throw new Error('the guarded provider accepted a call without a caller token');
    const p50 = { on: [] as number[], off: [] as number[] };
    const p99 = { on: [] as number[], off: [] as number[] };
    await latencies(calls.on, 200);
    await latencies(calls.off, 200);
    for (let round = 0; round < rounds; round++) {
      const order: ('on' | 'off')[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const mode of order) {
        const samples = await latencies(calls[mode], sequentialCalls);
        p50[mode].push(percentile(samples, 0.5));
        p99[mode].push(percentile(samples, 0.99));
      }
    }
    const on = median(p50.on);
    const off = median(p50.off);
    return [
      {
        benchmark: 'auth_required call with caller tokens (p50 / p99)',
        figure: `${on.toFixed(3)} / ${median(p99.on).toFixed(3)} ms`,
        baseline: `${off.toFixed(3)} / ${median(p99.off).toFixed(3)} ms (caller tokens off)`,
        ratio: `${(on / off).toFixed(2)}x p50`,
        note: 'goal <= 1.10x',
      },
    ];
  } finally {
    await connections.close();
    await guarded.stop();
    await open.stop();
  }
}
