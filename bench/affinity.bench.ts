// Session affinity's cost. Three replicas of a counter agent (bench/affinity/counter-agent.ts,
// real processes, ownership in the machine's Redis under a key prefix of the run's own) are
// called, in the same run, through a session-affine proxy (every call claims or refreshes its
// session in Redis; the proxy sends it to the owner), through a plain proxy (the same tool body
// without affinity, spread over the replicas), and directly by the official SDK client on one
// replica. Sequential calls give p50/p99; 16 in flight give the throughput.
import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { removeRedisKeys } from '../examples/support/redis-keys.js';
import { breakerPerEndpoint } from '../runtime/proxy/circuit-breaker.js';
import { McpConnections } from '../runtime/proxy/mcp-connections.js';
import { RemoteCapabilityProxy } from '../runtime/proxy/remote-proxy.js';
import {
  type AgentProcess,
  type Call,
  latencies,
  percentile,
  startAgentProcess,
  throughput,
} from './measure.js';
import { type BenchResult, median } from './report.js';

const replicaCount = 3;
const sessions = 100;
const sequentialCalls = 1_000;
const concurrentCalls = 4_000;
const inFlight = 16;
const rounds = 3;

type Input = { session_id: string; by: number };

export async function run(): Promise<BenchResult[]> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `mcp-mesh-bench:${process.pid}:${randomBytes(3).toString('hex')}:`;
  const replicas: AgentProcess[] = [];
  const connections = new McpConnections('bench-affinity');
  const direct = new Client(
    { name: 'bench-sdk', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  try {
    for (let index = 1; index <= replicaCount; index++) {
      replicas.push(
        await startAgentProcess('bench/affinity/counter-agent.ts', {
          MCP_MESH_AGENT_ID: `bench-counter-${index}`,
          REDIS_URL: redisUrl,
          MCP_MESH_REDIS_PREFIX: keyPrefix,
        }),
      );
    }
    await direct.connect(new StreamableHTTPClientTransport(new URL('/mcp', replicas[0]!.url)));
    const environment = { connections, breaker: breakerPerEndpoint() };
    const proxyOf = (tool: string, sessionRequired: boolean) =>
      new RemoteCapabilityProxy<Input, { count: number }>(
        tool,
        replicas.map((replica, index) => ({
          agentId: `bench-counter-${index + 1}`,
          functionName: tool,
          endpoint: replica.url,
          kwargs: { timeout: 10, session_required: sessionRequired },
        })),
        {},
        environment,
      );
    const affine = proxyOf('increment', true);
    const plain = proxyOf('increment_plain', false);
    let next = 0;
    const input = (): Input => ({ session_id: `session-${next++ % sessions}`, by: 1 });
    const calls: Record<'affine' | 'plain' | 'direct', Call> = {
      affine: () => affine.call(input()),
      plain: () => plain.call(input()),
      direct: () => direct.callTool({ name: 'increment_plain', arguments: input() }),
    };
    const figures = {
      affine: { p50: [] as number[], p99: [] as number[], rate: [] as number[] },
      plain: { p50: [] as number[], p99: [] as number[], rate: [] as number[] },
      direct: { p50: [] as number[], p99: [] as number[], rate: [] as number[] },
    };
    for (const call of Object.values(calls)) await latencies(call, 300);
    for (let round = 0; round < rounds; round++) {
      // Rotate who goes first so that drift on a shared machine hits all alike.
      const names = (['affine', 'plain', 'direct'] as const).map(
        (_, index, all) => all[(index + round) % all.length]!,
      );
      for (const name of names) {
        const samples = await latencies(calls[name], sequentialCalls);
        figures[name].p50.push(percentile(samples, 0.5));
        figures[name].p99.push(percentile(samples, 0.99));
        figures[name].rate.push(await throughput(calls[name], concurrentCalls, inFlight));
      }
    }
    const summary = (name: keyof typeof figures) => ({
      p50: median(figures[name].p50),
      p99: median(figures[name].p99),
      rate: median(figures[name].rate),
    });
    const [affineFigures, plainFigures, directFigures] = [
      summary('affine'),
      summary('plain'),
      summary('direct'),
    ];
    const latency = (figures: { p50: number; p99: number }) =>
      `${figures.p50.toFixed(2)} / ${figures.p99.toFixed(2)} ms`;
    return [
      {
        benchmark: `session-affine proxy, ${replicaCount} replicas, sequential (p50 / p99)`,
        figure: latency(affineFigures),
        baseline: `${latency(plainFigures)} (plain proxy)`,
        ratio: `${(affineFigures.p50 / plainFigures.p50).toFixed(2)}x p50`,
        note: `${sessions} sessions`,
      },
      {
        benchmark: `session-affine proxy, ${inFlight} in flight`,
        figure: `${affineFigures.rate.toFixed(0)} calls/s`,
        baseline: `${plainFigures.rate.toFixed(0)} calls/s (plain proxy)`,
        ratio: `${(affineFigures.rate / plainFigures.rate).toFixed(2)}x`,
      },
      {
        benchmark: `plain proxy over ${replicaCount} replicas (p50 / p99; ${inFlight} in flight)`,
        figure: `${latency(plainFigures)}; ${plainFigures.rate.toFixed(0)} calls/s`,
        baseline: `${latency(directFigures)}; ${directFigures.rate.toFixed(0)} calls/s (SDK client, one replica)`,
        ratio: `${(plainFigures.p50 / directFigures.p50).toFixed(2)}x p50, ${(plainFigures.rate / directFigures.rate).toFixed(2)}x calls/s`,
      },
    ];
  } finally {
    await direct.close().catch(() => undefined);
    await connections.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await removeRedisKeys(redisUrl, keyPrefix);
  }
}
