// The registry under load: a real registry process (SQLite in a temporary file) and, as the
// baseline in the same run, the HTTP floor: a minimal fastify process with the same routes that
// answers fixed responses (bench/registry-load/floor-server.ts). Both get the same load from
// bench/registry-load with 32 concurrent clients, the HEAD and POST phases interleaved in rounds
// (floor, registry, registry, floor, ...) so that drift on the machine hits both alike; the
// ratios say how close the registry comes to what HTTP alone costs here. The load runs in this
// process, each server in its own.
//   BENCH_REGISTRY_AGENTS=10000   also a second mesh of that size: registration from scratch,
//                                 memory, and HEAD/POST rates if registration finished
//   BENCH_REGISTRY_REGISTER_LIMIT=S  registration of that second mesh stops after S seconds
//                                 (default 40) and is reported as not finished
//   BENCH_REGISTRY_DURATION=S     seconds per measured HEAD/POST phase and server (default 9,
//                                 in 3 rounds)
//   BENCH_REGISTRY_CPU_PROF=DIR   run the registry with --cpu-prof, profiles written to DIR
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  defaultLoadOptions,
  LoadSession,
  type PhaseResult,
  Recorder,
  type RegisterResult,
  type WatchResult,
} from './registry-load/load.js';
import { makePopulation, typicalResponse } from './registry-load/population.js';
import { memoryOf, onExit, type ServerProcess, startServer } from './registry-load/processes.js';
import type { BenchResult } from './report.js';

const baseAgents = 1000;
const concurrency = 32;
const rounds = 3;
// The predecessor's released registry (Go, SQLite) on this machine, same load, 1,000 agents.
const predecessor = {
  head: '360 req/s, p50 81 ms',
  post: '26 req/s, p50 1 s',
  register: '10 s for 1,000',
};

function environmentNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} is not a number > 0`);
  return value;
}

const log = (line: string) => console.error(`  ${line}`);

/** What one server did under the load. */
interface Side {
  readonly register: RegisterResult;
  head?: PhaseResult;
  post?: PhaseResult;
  watch?: WatchResult;
  /** Resident memory right after start, bytes. */
  idle?: number;
  /** Resident memory at the end and its peak, bytes. */
  memory?: { rss: number; peak: number };
}

interface Comparison {
  readonly agents: number;
  readonly ours: Side;
  readonly floor: Side;
}

/**
 * Starts both servers, registers the same mesh with each, then runs the HEAD and POST phases
 * interleaved in rounds and, optionally, the watch phase on each.
 */
async function compare(options: {
  agents: number;
  seconds: number;
  watch: boolean;
  registerLimit?: number;
  startFloor: () => Promise<ServerProcess>;
  startRegistry: () => Promise<ServerProcess>;
}): Promise<Comparison> {
  const servers: ServerProcess[] = [];
  const sessions: LoadSession[] = [];
  try {
    const floorServer = await options.startFloor();
    servers.push(floorServer);
    const ourServer = await options.startRegistry();
    servers.push(ourServer);
    const idle = memoryOf(ourServer.pid)?.rss;
    const session = (server: ServerProcess, registerTimeLimitSeconds?: number) => {
      const created = new LoadSession({
        ...defaultLoadOptions,
        url: server.url,
        pid: server.pid,
        agents: options.agents,
        concurrency,
        durationSeconds: options.seconds,
        cleanup: false,
        ...(registerTimeLimitSeconds === undefined ? {} : { registerTimeLimitSeconds }),
        log,
      });
      sessions.push(created);
      return created;
    };
    const floorLoad = session(floorServer);
    const ourLoad = session(ourServer, options.registerLimit);

    log(`HTTP floor: ${options.agents} agents`);
    const floor: Side = { register: await floorLoad.register() };
    log(`registry: ${options.agents} agents`);
    const ours: Side = {
      register: await ourLoad.register(),
      ...(idle === undefined ? {} : { idle }),
    };

    if (ours.register.registeredAll) {
      for (const kind of ['head', 'post'] as const) {
        log(
          `${kind.toUpperCase()} /heartbeat: ${rounds} rounds of ${options.seconds / rounds} s each ...`,
        );
        const floorRecorder = new Recorder();
        const ourRecorder = new Recorder();
        let floorResult: PhaseResult | undefined;
        let ourResult: PhaseResult | undefined;
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? ['floor', 'ours'] : ['ours', 'floor'];
          for (const side of order) {
            if (side === 'floor') {
              floorResult = await floorLoad.measure(kind, options.seconds / rounds, floorRecorder);
            } else {
              ourResult = await ourLoad.measure(kind, options.seconds / rounds, ourRecorder);
            }
          }
        }
        floor[kind] = floorResult as PhaseResult;
        ours[kind] = ourResult as PhaseResult;
      }
      if (options.watch) {
        log('watch, HTTP floor');
        floor.watch = await floorLoad.watch();
        log('watch, registry');
        ours.watch = await ourLoad.watch();
      }
    }
    const floorMemory = floorLoad.memory();
    const ourMemory = ourLoad.memory();
    if (floorMemory) floor.memory = floorMemory;
    if (ourMemory) ours.memory = ourMemory;
    return { agents: options.agents, ours, floor };
  } finally {
    for (const session of sessions) await session.close();
    for (const server of servers.reverse()) await server.stop();
  }
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const rate = (value: number) => `${count(value)} req/s`;
const errors = (result: PhaseResult) => (result.errors === 0 ? '' : `; ${result.errors} errors`);
const cpu = (result: PhaseResult) =>
  result.serverCpu === undefined
    ? ''
    : `; registry CPU ${result.serverCpu.toFixed(2)} cores, load generator ${(result.clientCpu ?? 0).toFixed(2)}`;

function rateRow(
  { agents, ours, floor }: Comparison,
  kind: 'head' | 'post',
  goal: string,
): BenchResult | undefined {
  const mine = ours[kind];
  const base = floor[kind];
  if (!mine || !base) return undefined;
  const name =
    kind === 'head' ? 'HEAD /heartbeat/{id} (lightweight)' : 'POST /heartbeat (full, resolved)';
  const reference = agents === baseAgents ? `; predecessor (Go) ${predecessor[kind]}` : '';
  return {
    benchmark: `registry: ${name}, ${count(agents)} agents, ${concurrency} clients`,
    figure: `${rate(mine.perSecond)}, p50 ${ms(mine.latency.p50)}, p99 ${ms(mine.latency.p99)}${errors(mine)}`,
    baseline: `${rate(base.perSecond)}, p50 ${ms(base.latency.p50)}, p99 ${ms(base.latency.p99)} (HTTP floor)${errors(base)}`,
    ratio: `${(mine.perSecond / base.perSecond).toFixed(2)}x req/s, ${(mine.latency.p50 / base.latency.p50).toFixed(2)}x p50`,
    note: `goal ${goal}${reference}${cpu(mine)}`,
  };
}

function registerRow({ agents, ours, floor }: Comparison): BenchResult {
  const mine = ours.register.phase;
  const base = floor.register.phase;
  const goal =
    agents >= 10_000
      ? 'goal < 20 s'
      : `goal < 20 s at 10,000; predecessor (Go) ${predecessor.register}`;
  return {
    benchmark: `registry: register ${count(agents)} agents from scratch (${concurrency} clients)`,
    figure: ours.register.registeredAll
      ? `${mine.seconds.toFixed(2)} s, p99 ${ms(mine.latency.p99)}${errors(mine)}`
      : `NOT FINISHED: ${count(mine.requests)} in ${mine.seconds.toFixed(0)} s (${rate(mine.perSecond)} on average)${errors(mine)}`,
    baseline: `${base.seconds.toFixed(2)} s (HTTP floor)`,
    ratio: `${ours.register.registeredAll ? '' : '> '}${(mine.seconds / base.seconds).toFixed(2)}x time`,
    note: `${goal}${cpu(mine)}`,
  };
}

function watchRow({ agents, ours, floor }: Comparison): BenchResult | undefined {
  const mine = ours.watch;
  const base = floor.watch;
  if (!mine || !base) return undefined;
  return {
    benchmark: `registry: topology change -> each of ${mine.watchers} dependents' GET /watch stream, ${count(agents)} agents`,
    figure: `p50 ${ms(mine.latency.p50)}, p99 ${ms(mine.latency.p99)}, max ${ms(mine.latency.max)}${mine.missed === 0 ? '' : `; ${mine.missed} missed`}`,
    baseline: `p50 ${ms(base.latency.p50)}, p99 ${ms(base.latency.p99)} (HTTP floor: SSE fan-out to all)`,
    ratio: `${(mine.latency.p99 / base.latency.p99).toFixed(2)}x p99`,
    note: `goal p99 < 250 ms; ${mine.changes} changes (add/remove a preferred provider), change request p50 ${ms(mine.changeRequest.p50)}; agents heartbeating every ${defaultLoadOptions.heartbeatIntervalSeconds} s`,
  };
}

function memoryRow({ agents, ours, floor }: Comparison): BenchResult | undefined {
  if (!ours.memory || !floor.memory) return undefined;
  const registered = ours.register.registeredAll
    ? count(agents)
    : `${count(ours.register.phase.requests)} (of ${count(agents)})`;
  return {
    benchmark: `registry: RSS with ${registered} agents, after the load`,
    figure: `${mb(ours.memory.rss)} (peak ${mb(ours.memory.peak)}${ours.idle === undefined ? '' : `, ${mb(ours.idle)} right after start`})`,
    baseline: `${mb(floor.memory.rss)} (HTTP floor process, same load)`,
    ratio: `${(ours.memory.rss / floor.memory.rss).toFixed(2)}x memory`,
    note: agents >= 10_000 ? 'goal < 300 MB' : 'goal < 300 MB at 10,000',
  };
}

function rows(comparison: Comparison): BenchResult[] {
  return [
    registerRow(comparison),
    rateRow(comparison, 'head', '>= 10,000 req/s, p99 < 10 ms'),
    rateRow(comparison, 'post', '>= 1,000 req/s'),
    watchRow(comparison),
    memoryRow(comparison),
  ].filter((row): row is BenchResult => row !== undefined);
}

export async function run(): Promise<BenchResult[]> {
  const bigAgents = Math.floor(environmentNumber('BENCH_REGISTRY_AGENTS', baseAgents));
  const seconds = environmentNumber('BENCH_REGISTRY_DURATION', 9);
  const registerLimit = environmentNumber('BENCH_REGISTRY_REGISTER_LIMIT', 40);
  const cpuProfile = process.env.BENCH_REGISTRY_CPU_PROF;
  const [busy] = loadavg();
  if (busy !== undefined && busy > 1) {
    log(
      `note: load average ${busy.toFixed(1)} before the run; other work competes for the 2 cores`,
    );
  }
  const directory = mkdtempSync(join(tmpdir(), 'mesh-bench-registry-'));
  const removeDirectory = () => rmSync(directory, { recursive: true, force: true });
  const forget = onExit(removeDirectory);
  try {
    const responseFile = join(directory, 'floor-response.json');
    writeFileSync(
      responseFile,
      typicalResponse(makePopulation(defaultLoadOptions.prefix, baseAgents, 0)),
    );
    let databases = 0;
    const startRegistry = () =>
      startServer({
        label: 'registry',
        script: 'registry/bin.js',
        env: {
          DATABASE_URL: `file:${join(directory, `registry-${databases++}.db`)}`,
          MCP_MESH_LOG_LEVEL: 'warn',
          // Long enough that no agent goes silent between the phases of the load.
          DEFAULT_TIMEOUT_THRESHOLD: '120',
          HEALTH_CHECK_INTERVAL: '1',
        },
        ...(cpuProfile === undefined
          ? {}
          : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', resolve(cpuProfile)] }),
      });
    const startFloor = () =>
      startServer({
        label: 'floor',
        script: 'bench/registry-load/floor-server.ts',
        env: { FLOOR_RESPONSE: responseFile },
      });

    const results = rows(
      await compare({ agents: baseAgents, seconds, watch: true, startFloor, startRegistry }),
    );
    if (bigAgents > baseAgents) {
      results.push(
        ...rows(
          await compare({
            agents: bigAgents,
            seconds: Math.min(seconds, 6),
            watch: false,
            registerLimit,
            startFloor,
            startRegistry,
          }),
        ),
      );
    }
    return results;
  } finally {
    forget();
    removeDirectory();
  }
}
