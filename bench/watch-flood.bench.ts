// Heartbeats under a flood: HEAD /heartbeat latency of a real registry process (SQLite) while a
// bounded flood of watchers holds /watch streams open without reading them and slow clients
// dribble request headers a byte at a time, against the same HEADs without the flood, in the
// same run (quiet, flood, quiet, flood). Topology changes keep coming in both, so the streams
// have events to write. The flood runs in this process, the registry in its own.
//   BENCH_FLOOD_WATCHERS=N (default 1000)  BENCH_FLOOD_SLOW=N (default 200)
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Pool, request } from 'undici';
import { latencies, percentile } from './measure.js';
import { memoryOf, startServer } from './registry-load/processes.js';
import { type BenchResult, median } from './report.js';

const agents = 50;
const headsPerPhase = 2_000;
const watchers = Number(process.env.BENCH_FLOOD_WATCHERS ?? 1_000);
const slowClients = Number(process.env.BENCH_FLOOD_SLOW ?? 200);

const registration = (index: number, port = 40_000 + index) =>
  JSON.stringify({
    agent_id: `flood-agent-${index}`,
    http_host: '127.0.0.1',
    http_port: port,
    runtime: 'typescript',
    tools: [{ function_name: 'tool', capability: `flood-cap-${index % 5}` }],
  });

export async function run(): Promise<BenchResult[]> {
  const directory = mkdtempSync(join(tmpdir(), 'mesh-bench-flood-'));
  const registry = await startServer({
    label: 'registry',
    script: 'registry/bin.js',
    env: {
      DATABASE_URL: `file:${join(directory, 'registry.db')}`,
      MCP_MESH_LOG_LEVEL: 'warn',
      DEFAULT_TIMEOUT_THRESHOLD: '120',
    },
  });
  const pool = new Pool(registry.url, { connections: 4 });
  const floodAgent = new Agent({
    connections: watchers + 10,
    bodyTimeout: 0,
    headersTimeout: 60_000,
  });
  const post = async (body: string) => {
    const answer = await pool.request({
      method: 'POST',
      path: '/heartbeat',
      body,
      headers: { 'content-type': 'application/json' },
    });
    await answer.body.dump();
    if (answer.statusCode !== 200) throw new Error(`registration answered ${answer.statusCode}`);
  };
  let index = 0;
  const head = async () => {
    const answer = await pool.request({
      method: 'HEAD',
      path: `/heartbeat/flood-agent-${index++ % agents}`,
    });
    await answer.body.dump();
    if (answer.statusCode >= 300) throw new Error(`HEAD answered ${answer.statusCode}`);
  };
  try {
    for (let agent = 0; agent < agents; agent++) await post(registration(agent));
    // Topology changes throughout: one agent moves port every 100 ms.
    let moves = 0;
    const changes = setInterval(() => void post(registration(0, 45_000 + (moves++ % 1000))), 100);
    const quiet: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
    const flood: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
    let peakRss = 0;
    await latencies(head, 500);
    try {
      for (let round = 0; round < 2; round++) {
        const calm = await latencies(head, headsPerPhase);
        quiet.p50.push(percentile(calm, 0.5));
        quiet.p99.push(percentile(calm, 0.99));
        const opened = await openFlood(registry.url, floodAgent);
        try {
          const stormy = await latencies(head, headsPerPhase);
          flood.p50.push(percentile(stormy, 0.5));
          flood.p99.push(percentile(stormy, 0.99));
          peakRss = Math.max(peakRss, memoryOf(registry.pid)?.rss ?? 0);
        } finally {
          opened.close();
        }
      }
    } finally {
      clearInterval(changes);
    }
    return [
      {
        benchmark: `HEAD /heartbeat during a flood of ${watchers} unread watch streams + ${slowClients} slow clients (p50 / p99)`,
        figure: `${median(flood.p50).toFixed(2)} / ${median(flood.p99).toFixed(2)} ms`,
        baseline: `${median(quiet.p50).toFixed(2)} / ${median(quiet.p99).toFixed(2)} ms (no flood)`,
        ratio: `${(median(flood.p99) / median(quiet.p99)).toFixed(2)}x p99`,
        note: `registry RSS during the flood ${(peakRss / 1_048_576).toFixed(0)} MiB`,
      },
    ];
  } finally {
    await pool.close();
    await floodAgent.destroy();
    await registry.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Opens the flood: watch streams never read (their data piles up) and slowloris sockets. */
async function openFlood(url: string, dispatcher: Agent): Promise<{ close(): void }> {
  const controller = new AbortController();
  // One signal ends every stream of the flood.
  setMaxListeners(watchers + 10, controller.signal);
  const streams = await Promise.all(
    Array.from({ length: watchers }, () =>
      request(`${url}/watch`, {
        dispatcher,
        signal: controller.signal,
        headers: { accept: 'text/event-stream' },
      }).then((answer) => {
        // Never read: the body stays paused, so the registry's writes hit backpressure.
        answer.body.on('error', () => undefined);
        return answer;
      }),
    ),
  );
  const { port } = new URL(url);
  const sockets: Socket[] = [];
  const dribble = 'GET /agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
  for (let client = 0; client < slowClients; client++) {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  let sent = 0;
  const timer = setInterval(() => {
    for (const socket of sockets) socket.write(dribble[sent % dribble.length] ?? 'x');
    sent++;
  }, 200);
  return {
    close() {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      controller.abort();
      for (const stream of streams) stream.body.destroy();
    },
  };
}
