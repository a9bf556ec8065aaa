// What checking remote results against the provider's output schema costs. The same provider
// process (bench/proxy/echo-agent.ts) is called, in the same run, by a mesh proxy that checks
// each result (RemoteCapabilityProxy with compileResultCheck, as generated proxies are wired)
// and by one that does not (the baseline). Alternating rounds; medians. Also the check alone
// per result against an empty function call.
import { performance } from 'node:perf_hooks';
import { CircuitBreaker } from '../runtime/proxy/circuit-breaker.js';
import { McpConnections } from '../runtime/proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../runtime/proxy/remote-proxy.js';
import { compileResultCheck, type ResultCheck } from '../runtime/proxy/result-check.js';
import { type Call, latencies, percentile, startAgentProcess } from './measure.js';
import { type BenchResult, median } from './report.js';

const sequentialCalls = 1_000;
const rounds = 5;
const checksPerRound = 200_000;
const output = {
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
} as const;

export async function run(): Promise<BenchResult[]> {
  const provider = await startAgentProcess('bench/proxy/echo-agent.ts');
  const connections = new McpConnections('bench-result-check');
  const proxyWith = (check: ResultCheck | undefined) =>
    new RemoteCapabilityProxy<{ text: string }, { text: string }>(
      'echo',
      [{ agentId: 'bench-echo', functionName: 'echo', endpoint: provider.url, kwargs: {} }],
      { timeout: 10 },
      { connections, breaker: () => new CircuitBreaker() },
      check,
    );
  const checked = proxyWith(compileResultCheck('echo', output));
  const unchecked = proxyWith(undefined);
  const checkedCall: Call = () => checked.call({ text: 'hello' });
  const uncheckedCall: Call = () => unchecked.call({ text: 'hello' });
  try {
    const checkedP50: number[] = [];
    const uncheckedP50: number[] = [];
    await latencies(checkedCall, 200);
    await latencies(uncheckedCall, 200);
    for (let round = 0; round < rounds; round++) {
      const order: [number[], Call][] = [
        [checkedP50, checkedCall],
        [uncheckedP50, uncheckedCall],
      ];
      if (round % 2 === 1) order.reverse();
      for (const [samples, call] of order) {
        samples.push(percentile(await latencies(call, sequentialCalls), 0.5));
      }
    }
    const check = compileResultCheck('echo', output) as ResultCheck;
    const nothing: ResultCheck = () => undefined;
    const value = { text: 'hello' };
    const checkMicros: number[] = [];
    const nothingMicros: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [samples, run] of [
        [checkMicros, check],
        [nothingMicros, nothing],
      ] as const) {
        const started = performance.now();
        for (let index = 0; index < checksPerRound; index++) run(value, 'bench-echo.echo');
        samples.push(((performance.now() - started) * 1000) / checksPerRound);
      }
    }
    const withCheck = median(checkedP50);
    const without = median(uncheckedP50);
    return [
      {
        benchmark: 'proxy call with result check, sequential p50',
        figure: `${withCheck.toFixed(3)} ms`,
        baseline: `${without.toFixed(3)} ms (same proxy, no check)`,
        ratio: `${(withCheck / without).toFixed(3)}x`,
        note: 'goal <= 1.02x',
      },
      {
        benchmark: 'result check alone, per result',
        figure: `${median(checkMicros).toFixed(3)} us`,
        baseline: `${median(nothingMicros).toFixed(3)} us (empty function)`,
        ratio: `${(median(checkMicros) / Math.max(median(nothingMicros), 0.001)).toFixed(1)}x`,
        note: 'compiled once (ajv); goal < 5 us',
      },
    ];
  } finally {
    await connections.close();
    await provider.stop();
  }
}
