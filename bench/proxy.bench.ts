// Agent-to-agent calls. A real provider process (bench/proxy/echo-agent.ts, standalone) is
// called, in the same run, by the official SDK client by hand (the baseline: `Client` with
// version negotiation, one connected session reused) and by a mesh proxy
// (RemoteCapabilityProxy: the path a handler's injected dependency takes). Sequential calls give
// the latency (p50, p99); 16 in flight give the throughput. Also the in-process same-agent call,
// against a plain async function call as its baseline.
import { performance } from 'node:perf_hooks';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { CircuitBreaker } from '../runtime/proxy/circuit-breaker.js';
import { LocalCapabilityProxy } from '../runtime/proxy/local-proxy.js';
import { McpConnections } from '../runtime/proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../runtime/proxy/remote-proxy.js';
import { type Call, latencies, percentile, startAgentProcess, throughput } from './measure.js';
import { type BenchResult, median } from './report.js';

const sequentialCalls = 1_000;
const concurrentCalls = 4_000;
const inFlight = 16;
const rounds = 5;

export async function run(): Promise<BenchResult[]> {
  const provider = await startAgentProcess('bench/proxy/echo-agent.ts');
  const sdk = new Client(
    { name: 'bench-sdk', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await sdk.connect(new StreamableHTTPClientTransport(new URL('/mcp', provider.url)));
  const connections = new McpConnections('bench-mesh');
  const breaker = new CircuitBreaker();
  const proxy = new RemoteCapabilityProxy<{ text: string }, { text: string }>(
    'echo',
    [
      {
        agentId: 'bench-echo',
        functionName: 'echo',
        endpoint: provider.url,
        kwargs: { timeout: 10 },
      },
    ],
    {},
    { connections, breaker: () => breaker },
  );
  const sdkCall: Call = () => sdk.callTool({ name: 'echo', arguments: { text: 'hello' } });
  const meshCall: Call = () => proxy.call({ text: 'hello' });
  try {
    const results = {
      sdkP50: [] as number[],
      sdkP99: [] as number[],
      meshP50: [] as number[],
      meshP99: [] as number[],
      sdkRate: [] as number[],
      meshRate: [] as number[],
    };
    await latencies(sdkCall, 200);
    await latencies(meshCall, 200);
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first so that drift on a shared machine hits both alike.
      const order: [string, Call][] =
        round % 2 === 0
          ? [
              ['sdk', sdkCall],
              ['mesh', meshCall],
            ]
          : [
              ['mesh', meshCall],
              ['sdk', sdkCall],
            ];
      for (const [name, call] of order) {
        const samples = await latencies(call, sequentialCalls);
        const rate = await throughput(call, concurrentCalls, inFlight);
        const key = name as 'sdk' | 'mesh';
        results[`${key}P50`].push(percentile(samples, 0.5));
        results[`${key}P99`].push(percentile(samples, 0.99));
        results[`${key}Rate`].push(rate);
      }
    }
    const local = new LocalCapabilityProxy<{ text: string }, { text: string }>(
      'echo',
      'echo',
      async (_tool, input) => ({ text: (input as { text: string }).text }),
    );
    const plain = async (input: { text: string }) => ({ text: input.text });
    const localMicros: number[] = [];
    const plainMicros: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [samples, call] of [
        [localMicros, () => local.call({ text: 'hello' })],
        [plainMicros, () => plain({ text: 'hello' })],
      ] as const) {
        const started = performance.now();
        for (let index = 0; index < 100_000; index++) await call();
        samples.push(((performance.now() - started) * 1000) / 100_000);
      }
    }
    const sdkP50 = median(results.sdkP50);
    const meshP50 = median(results.meshP50);
    const sdkRate = median(results.sdkRate);
    const meshRate = median(results.meshRate);
    return [
      {
        benchmark: 'proxy call latency, sequential (p50 / p99)',
        figure: `${meshP50.toFixed(2)} / ${median(results.meshP99).toFixed(2)} ms`,
        baseline: `${sdkP50.toFixed(2)} / ${median(results.sdkP99).toFixed(2)} ms (SDK client by hand)`,
        ratio: `${(meshP50 / sdkP50).toFixed(2)}x p50`,
        note: 'goal <= 1.0x',
      },
      {
        benchmark: `proxy throughput, ${inFlight} in flight`,
        figure: `${meshRate.toFixed(0)} calls/s`,
        baseline: `${sdkRate.toFixed(0)} calls/s (SDK client by hand)`,
        ratio: `${(meshRate / sdkRate).toFixed(2)}x`,
        note: 'goal >= 1.5x',
      },
      {
        benchmark: 'same-agent call (in process)',
        figure: `${median(localMicros).toFixed(2)} us`,
        baseline: `${median(plainMicros).toFixed(2)} us (plain async call)`,
        ratio: `${(median(localMicros) / median(plainMicros)).toFixed(1)}x`,
        note: 'goal < 50 us',
      },
    ];
  } finally {
    await sdk.close();
    await connections.close();
    await provider.stop();
  }
}
