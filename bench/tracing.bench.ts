// What tracing costs on the call path. The same proxy call (RemoteCapabilityProxy to the echo
// provider, bench/proxy/echo-agent.ts, each a process of its own) with tracing off, on with
// sampling 0 (spans started, context propagated, nothing recorded or exported) and on with
// sampling 1 (every span recorded and exported over OTLP/HTTP JSON to a receiver here that
// accepts and drops them), beside the untraced proxy (tracing off in both processes) measured in
// the same run; rounds alternate their order.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitBreaker } from '../runtime/proxy/circuit-breaker.js';
import { McpConnections } from '../runtime/proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../runtime/proxy/remote-proxy.js';
import { openTelemetryTracing } from '../runtime/telemetry/open-telemetry.js';
import { setActiveTracing, type Tracing } from '../runtime/telemetry/tracing.js';
import { type Call, latencies, percentile, startAgentProcess, throughput } from './measure.js';
import { type BenchResult, median } from './report.js';

const sequentialCalls = 600;
const concurrentCalls = 2_400;
const inFlight = 16;
const rounds = 4;

type Mode = 'untraced' | 'sampling 0' | 'sampling 1';
const modes: readonly Mode[] = ['untraced', 'sampling 0', 'sampling 1'];

export async function run(): Promise<BenchResult[]> {
  let exported = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exported++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const otel = (ratio: number) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(ratio),
  });
  const providers = {
    untraced: await startAgentProcess('bench/proxy/echo-agent.ts'),
    'sampling 0': await startAgentProcess('bench/proxy/echo-agent.ts', otel(0)),
    'sampling 1': await startAgentProcess('bench/proxy/echo-agent.ts', otel(1)),
  };
  const callerTracing = (ratio: number): Tracing =>
    openTelemetryTracing(
      {
        endpoint: `${endpoint}/v1/traces`,
        serviceName: 'bench-caller',
        sampler: 'parentbased_traceidratio',
        ratio,
      },
      { name: 'bench-caller', version: '1.0.0', instanceId: 'bench-caller' },
    );
  const tracings: Record<Mode, Tracing | undefined> = {
    untraced: undefined,
    'sampling 0': callerTracing(0),
    'sampling 1': callerTracing(1),
  };
  const connections = new McpConnections('bench-tracing');
  const calls = {} as Record<Mode, Call>;
  for (const mode of modes) {
    const breaker = new CircuitBreaker();
    const proxy = new RemoteCapabilityProxy<{ text: string }, { text: string }>(
      'echo',
      [
        {
          agentId: mode,
          functionName: 'echo',
          endpoint: providers[mode].url,
          kwargs: { timeout: 10 },
        },
      ],
      {},
      { connections, breaker: () => breaker },
    );
    calls[mode] = () => proxy.call({ text: 'hello' });
  }
  // The caller's tracing is process-wide: each mode turns its own on while it is measured.
  const measure = async (mode: Mode, what: (call: Call) => Promise<number[] | number>) => {
    setActiveTracing(tracings[mode]);
    try {
      return await what(calls[mode]);
    } finally {
      setActiveTracing(undefined);
    }
  };
  const p50 = Object.fromEntries(modes.map((mode) => [mode, [] as number[]])) as Record<
    Mode,
    number[]
  >;
  const p99 = structuredClone(p50);
  const rate = structuredClone(p50);
  try {
    for (const mode of modes) await measure(mode, (call) => latencies(call, 200));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        const samples = (await measure(mode, (call) =>
          latencies(call, sequentialCalls),
        )) as number[];
        p50[mode].push(percentile(samples, 0.5));
        p99[mode].push(percentile(samples, 0.99));
        rate[mode].push(
          (await measure(mode, (call) => throughput(call, concurrentCalls, inFlight))) as number,
        );
      }
    }
  } finally {
    setActiveTracing(undefined);
    await Promise.all(Object.values(tracings).map((tracing) => tracing?.shutdown()));
    await connections.close();
    await Promise.all(Object.values(providers).map((provider) => provider.stop()));
    receiver.close();
  }
  const base = {
    p50: median(p50.untraced),
    p99: median(p99.untraced),
    rate: median(rate.untraced),
  };
  const results: BenchResult[] = [];
  for (const mode of ['sampling 0', 'sampling 1'] as const) {
    const figure = { p50: median(p50[mode]), p99: median(p99[mode]), rate: median(rate[mode]) };
    results.push(
      {
        benchmark: `traced call latency, ${mode} (p50 / p99)`,
        figure: `${figure.p50.toFixed(2)} / ${figure.p99.toFixed(2)} ms`,
        baseline: `${base.p50.toFixed(2)} / ${base.p99.toFixed(2)} ms (tracing off)`,
        ratio: `${(figure.p50 / base.p50).toFixed(2)}x p50`,
        note: mode === 'sampling 0' ? 'goal <= 1.05x' : `${exported} OTLP exports received`,
      },
      {
        benchmark: `traced call throughput, ${mode}, ${inFlight} in flight`,
        figure: `${figure.rate.toFixed(0)} calls/s`,
        baseline: `${base.rate.toFixed(0)} calls/s (tracing off)`,
        ratio: `${(figure.rate / base.rate).toFixed(2)}x`,
        note: '',
      },
    );
  }
  return results;
}
