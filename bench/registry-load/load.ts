// The load generator: registers a synthetic mesh with any registry that speaks
// spec/registry.openapi.yaml, then drives lightweight and full heartbeats at a fixed
// concurrency and measures how fast a topology change reaches every dependent's watch stream.
// It uses undici pools with keep-alive connections: Node's global fetch costs several times
// more client CPU per request, which on a small machine would measure the client, not the server.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { EventStreamReader } from '../../runtime/proxy/event-stream.js';
import { makePopulation, type Population, primaryHubBody } from './population.js';
import { cpuSecondsOf, memoryOf } from './processes.js';

export type Scenario = 'register' | 'head' | 'post' | 'watch';
export const allScenarios: readonly Scenario[] = ['register', 'head', 'post', 'watch'];

export interface LoadOptions {
  /** Base URL of the server under load, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly agents: number;
  readonly concurrency: number;
  /** Seconds each of the `head` and `post` phases is measured. */
  readonly durationSeconds: number;
  /** Seconds of unmeasured load before each measured phase. */
  readonly warmupSeconds: number;
  /** Which measured phases to run; registration always runs, as the setup of the others. */
  readonly scenarios: readonly Scenario[];
  /** Dependents that hold a watch stream open in the `watch` phase. */
  readonly watchers: number;
  /** Topology changes in the `watch` phase (alternately a registration and a removal). */
  readonly watchChanges: number;
  /** Seconds between two lightweight heartbeats of one agent while the watch phase runs. */
  readonly heartbeatIntervalSeconds: number;
  /** Prefix of agent ids and capabilities, so several runs can share a registry. */
  readonly prefix: string;
  /** Process id of the server, to read its memory from /proc; none: memory is not reported. */
  readonly pid?: number;
  /**
   * Registration stops after this many seconds; when it had not finished, the other phases
   * are skipped (the mesh is incomplete) and the report says how far it got. Default: no limit.
   */
  readonly registerTimeLimitSeconds?: number;
  /** Remove the generated agents at the end (`DELETE /agents/{id}`). */
  readonly cleanup: boolean;
  readonly log?: (line: string) => void;
}

export const defaultLoadOptions = {
  agents: 1000,
  concurrency: 32,
  durationSeconds: 10,
  warmupSeconds: 1,
  scenarios: allScenarios,
  watchers: 500,
  watchChanges: 10,
  heartbeatIntervalSeconds: 5,
  prefix: 'load',
  cleanup: true,
} satisfies Partial<LoadOptions>;

/** Latency percentiles, in milliseconds. */
export interface Latency {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface PhaseResult {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latency: Latency;
  /** Answers with an unexpected status, plus requests that failed outright. */
  readonly errors: number;
  /** Answers by status code. */
  readonly statuses: Readonly<Record<string, number>>;
  /** CPU the server used over the phase, in cores (1 = one core busy); when its pid is known. */
  readonly serverCpu?: number;
  /** CPU this load generator used over the phase, in cores. */
  readonly clientCpu?: number;
}

export interface WatchResult {
  readonly watchers: number;
  readonly changes: number;
  /** From sending the change to each dependent's `topology` frame. */
  readonly latency: Latency;
  /** (change, dependent) pairs that saw no frame within the timeout. */
  readonly missed: number;
  /** Frames that came while no change was pending (e.g. health transitions). */
  readonly stray: number;
  /** How long the change requests themselves took to be answered. */
  readonly changeRequest: Latency;
}

export interface MemoryResult {
  /** Resident memory after registration, bytes. */
  readonly afterRegister: number;
  /** Resident memory at the end, bytes. */
  readonly atEnd: number;
  /** Peak resident memory (VmHWM), bytes. */
  readonly peak: number;
}

export interface LoadReport {
  readonly url: string;
  readonly agents: number;
  readonly concurrency: number;
  readonly register: PhaseResult;
  /** False when registration hit its time limit before every agent was registered. */
  readonly registeredAll: boolean;
  readonly head?: PhaseResult;
  readonly post?: PhaseResult;
  readonly watch?: WatchResult;
  readonly memory?: MemoryResult;
}

/** Percentiles of a list of milliseconds (sorted in place). */
export function latencyOf(samples: number[] | Float64Array): Latency {
  const sorted = Float64Array.from(samples).sort();
  const at = (fraction: number) =>
    sorted.length === 0
      ? Number.NaN
      : (sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

/** Collects the answers of one or more runs of a phase (rounds add up). */
export class Recorder {
  private samples = new Float64Array(1 << 16);
  private count = 0;
  private errors = 0;
  private seconds = 0;
  private clientCpuSeconds = 0;
  private serverCpuSeconds: number | undefined = 0;
  private readonly statuses: Record<string, number> = {};

  add(milliseconds: number, status: string, ok: boolean): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = milliseconds;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (!ok) this.errors++;
  }

  addTime(seconds: number, clientCpuSeconds: number, serverCpuSeconds: number | undefined): void {
    this.seconds += seconds;
    this.clientCpuSeconds += clientCpuSeconds;
    this.serverCpuSeconds =
      this.serverCpuSeconds === undefined || serverCpuSeconds === undefined
        ? undefined
        : this.serverCpuSeconds + serverCpuSeconds;
  }

  result(): PhaseResult {
    return {
      requests: this.count,
      seconds: this.seconds,
      perSecond: this.count / this.seconds,
      latency: latencyOf(this.samples.subarray(0, this.count)),
      errors: this.errors,
      statuses: { ...this.statuses },
      clientCpu: this.clientCpuSeconds / this.seconds,
      ...(this.serverCpuSeconds === undefined
        ? {}
        : { serverCpu: this.serverCpuSeconds / this.seconds }),
    };
  }
}

type Send = (index: number) => Promise<{ status: number }>;

/**
 * Runs `send` from `concurrency` workers, each waiting for its answer before sending again,
 * over the agent indices in turn; until `count` requests were sent or `seconds` passed.
 */
async function closedLoop(
  send: Send,
  options: {
    concurrency: number;
    agents: number;
    count?: number;
    seconds?: number | undefined;
    ok: (status: number) => boolean;
    pid?: number | undefined;
  },
  recorder: Recorder = new Recorder(),
): Promise<PhaseResult> {
  let next = 0;
  const serverCpuAtStart = options.pid === undefined ? undefined : cpuSecondsOf(options.pid);
  const clientCpuAtStart = process.cpuUsage();
  const started = performance.now();
  const end = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const limit = options.count ?? Infinity;
  const worker = async () => {
    while (next < limit) {
      const index = next++;
      const sent = performance.now();
      if (sent >= end) break;
      try {
        const { status } = await send(index % options.agents);
        recorder.add(performance.now() - sent, String(status), options.ok(status));
      } catch (error) {
        const { code, name } = error as { code?: string; name?: string };
        recorder.add(performance.now() - sent, code ?? name ?? 'error', false);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  const serverCpuAtEnd = options.pid === undefined ? undefined : cpuSecondsOf(options.pid);
  recorder.addTime(
    seconds,
    (clientCpu.user + clientCpu.system) / 1e6,
    serverCpuAtStart === undefined || serverCpuAtEnd === undefined
      ? undefined
      : serverCpuAtEnd - serverCpuAtStart,
  );
  return recorder.result();
}

function pool(url: string, connections: number): Pool {
  return new Pool(url, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
}

/** A registration attempt: the phase, and whether every agent got registered in time. */
export interface RegisterResult {
  readonly phase: PhaseResult;
  readonly registeredAll: boolean;
}

/**
 * The load against one server, phase by phase, so that a benchmark can interleave phases on
 * two servers. `runLoad` runs them all in order.
 */
export class LoadSession {
  readonly population: Population;
  private readonly client: Pool;
  private readonly senders: Record<'head' | 'post', Send>;
  private readonly oks: Record<'head' | 'post', (status: number) => boolean> = {
    // 202 (send a full heartbeat) is a correct answer after topology changes.
    head: (status) => status === 200 || status === 202,
    post: (status) => status === 200,
  };
  private readonly warm = new Set<string>();

  constructor(readonly options: LoadOptions) {
    this.population = makePopulation(options.prefix, options.agents, options.watchers);
    this.client = pool(options.url, options.concurrency);
    const headPaths = this.population.ids.map((id) => `/heartbeat/${encodeURIComponent(id)}`);
    const json = { 'content-type': 'application/json' };
    this.senders = {
      head: async (index) => {
        // undici closes the connection after a HEAD unless told not to (`reset: false`).
        const response = await this.client.request({
          method: 'HEAD',
          path: headPaths[index] as string,
          reset: false,
        });
        await response.body.dump();
        return { status: response.statusCode };
      },
      post: async (index) => {
        const response = await this.client.request({
          method: 'POST',
          path: '/heartbeat',
          headers: json,
          body: this.population.bodies[index] as string,
        });
        await response.body.text();
        return { status: response.statusCode };
      },
    };
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private loop(ok: (status: number) => boolean) {
    return {
      concurrency: this.options.concurrency,
      agents: this.options.agents,
      ok,
      pid: this.options.pid,
    };
  }

  /**
   * Registers every agent once, timed, from `concurrency` clients. Before: a short burst of
   * lightweight heartbeats of agents that do not exist yet (they change nothing) opens the
   * connections and warms both ends' HTTP code. After, untimed: every agent sends one more full
   * heartbeat once the whole mesh is there, as agents do when a lightweight heartbeat answers
   * 202, so that lightweight heartbeats then answer 200 (the steady state).
   */
  async register(): Promise<RegisterResult> {
    const { options } = this;
    if (options.warmupSeconds > 0) {
      await closedLoop(this.senders.head, {
        ...this.loop(() => true),
        seconds: Math.min(1, options.warmupSeconds),
      });
    }
    this.log(`registering ${options.agents} agents at ${options.url} ...`);
    const phase = await closedLoop(this.senders.post, {
      ...this.loop(this.oks.post),
      count: options.agents,
      seconds: options.registerTimeLimitSeconds,
    });
    if (phase.requests > 0 && phase.errors === phase.requests) {
      const answers = Object.entries(phase.statuses)
        .map(([status, n]) => `${status} x${n}`)
        .join(', ');
      throw new Error(`every registration at ${options.url} failed (${answers})`);
    }
    const registeredAll = phase.requests === options.agents;
    if (registeredAll) {
      await closedLoop(this.senders.post, {
        ...this.loop(this.oks.post),
        count: options.agents,
        pid: undefined,
      });
    } else {
      this.log(
        `registration stopped at its limit of ${options.registerTimeLimitSeconds} s after ${phase.requests} of ${options.agents} agents`,
      );
    }
    return { phase, registeredAll };
  }

  /**
   * Drives `HEAD /heartbeat/{id}` or `POST /heartbeat` for `seconds`, into `recorder` when
   * given (so rounds add up). The first call of each kind is preceded by the warm-up.
   */
  async measure(kind: 'head' | 'post', seconds: number, recorder?: Recorder): Promise<PhaseResult> {
    const loop = this.loop(this.oks[kind]);
    if (!this.warm.has(kind) && this.options.warmupSeconds > 0) {
      this.warm.add(kind);
      await closedLoop(this.senders[kind], { ...loop, seconds: this.options.warmupSeconds });
    }
    return closedLoop(this.senders[kind], { ...loop, seconds }, recorder);
  }

  /** See `runWatch`. */
  watch(): Promise<WatchResult> {
    this.log(
      `watch: ${this.population.watcherIds.length} streams, ${this.options.watchChanges} changes ...`,
    );
    return runWatch(this.options, this.population, this.senders.head);
  }

  /** The server's resident memory now (and its peak so far), when its pid is known. */
  memory(): { rss: number; peak: number } | undefined {
    return this.options.pid === undefined ? undefined : memoryOf(this.options.pid);
  }

  /** Unregisters every generated agent. */
  async removeAgents(): Promise<void> {
    this.log(`removing the ${this.options.agents} agents ...`);
    const { ids } = this.population;
    await closedLoop(
      async (index) => {
        const response = await this.client.request({
          method: 'DELETE',
          path: `/agents/${encodeURIComponent(ids[index] as string)}`,
        });
        await response.body.dump();
        return { status: response.statusCode };
      },
      { ...this.loop((status) => status === 204), count: ids.length, pid: undefined },
    );
  }

  async close(): Promise<void> {
    await this.client.destroy();
  }
}

/** Runs the whole load against one server: registration, then the chosen phases in order. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const session = new LoadSession(options);
  try {
    const { phase: register, registeredAll } = await session.register();
    const afterRegister = session.memory();
    const report: {
      -readonly [K in keyof LoadReport]: LoadReport[K];
    } = {
      url: options.url,
      agents: options.agents,
      concurrency: options.concurrency,
      register,
      registeredAll,
    };
    if (registeredAll) {
      for (const kind of ['head', 'post'] as const) {
        if (!options.scenarios.includes(kind)) continue;
        options.log?.(
          `${kind.toUpperCase()} /heartbeat: ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured ...`,
        );
        report[kind] = await session.measure(kind, options.durationSeconds);
      }
      if (options.scenarios.includes('watch')) {
        try {
          report.watch = await session.watch();
        } catch (error) {
          options.log?.(`watch failed: ${(error as Error).message}`);
        }
      }
    } else {
      options.log?.('the mesh is incomplete: skipping the other phases');
    }
    const atEnd = session.memory();
    if (afterRegister && atEnd) {
      report.memory = { afterRegister: afterRegister.rss, atEnd: atEnd.rss, peak: atEnd.peak };
    }
    if (options.cleanup) await session.removeAgents();
    return report;
  } finally {
    await session.close();
  }
}

/**
 * Opens one watch stream per dependent, then makes topology changes that concern all of them
 * (registering a preferred provider of the capability they depend on, then removing it) and
 * times, for each dependent, the change request to its `topology` frame. Meanwhile every agent
 * sends its lightweight heartbeat every few seconds, as a live mesh does.
 */
async function runWatch(
  options: LoadOptions,
  population: Population,
  head: Send,
): Promise<WatchResult> {
  const watcherIds = population.watcherIds;
  if (watcherIds.length === 0) throw new Error('the watch scenario needs at least 2 agents');
  const streams = new Pool(options.url, {
    connections: watcherIds.length,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 0,
  });
  const changes = pool(options.url, 1);
  let pendingSince: number | undefined;
  const seen = new Uint8Array(watcherIds.length);
  let seenCount = 0;
  let stray = 0;
  const samples: number[] = [];
  let allSeen: (() => void) | undefined;
  const bodies: { destroy(): void }[] = [];

  const onFrame = (watcher: number, at: number) => {
    if (pendingSince === undefined || seen[watcher] === 1) {
      stray++;
      return;
    }
    seen[watcher] = 1;
    seenCount++;
    samples.push(at - pendingSince);
    if (seenCount === watcherIds.length) allSeen?.();
  };

  const open = async (watcher: number) => {
    const response = await streams.request({
      method: 'GET',
      path: `/watch?agent_id=${encodeURIComponent(watcherIds[watcher] as string)}`,
      headers: { accept: 'text/event-stream' },
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`GET /watch answered ${response.statusCode}`);
    }
    bodies.push(response.body);
    const reader = new EventStreamReader({
      onEvent: ({ event }) => {
        if (event === 'topology') onFrame(watcher, performance.now());
      },
    });
    response.body.on('data', (chunk: Buffer) => reader.push(chunk));
    response.body.on('error', () => {});
  };

  // Lightweight heartbeats of the whole mesh, spread evenly over the interval.
  let beating = true;
  let heartbeatErrors = 0;
  const tickMs = 20;
  const perTick = Math.max(
    1,
    Math.round((population.ids.length * tickMs) / (options.heartbeatIntervalSeconds * 1000)),
  );
  let nextAgent = 0;
  const heartbeats = setInterval(() => {
    if (!beating) return;
    for (let sent = 0; sent < perTick; sent++) {
      const index = nextAgent++ % population.ids.length;
      head(index).then(
        ({ status }) => {
          if (status !== 200 && status !== 202) heartbeatErrors++;
        },
        () => heartbeatErrors++,
      );
    }
  }, tickMs);

  const changeLatencies: number[] = [];
  const send = async (change: number) => {
    const round = Math.floor(change / 2);
    if (change % 2 === 0) {
      const response = await changes.request({
        method: 'POST',
        path: '/heartbeat',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(primaryHubBody(population, round)),
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`change answered ${response.statusCode}`);
    } else {
      const id = `${population.prefix}-hub-primary-${round}`;
      const response = await changes.request({
        method: 'DELETE',
        path: `/agents/${encodeURIComponent(id)}`,
      });
      await response.body.dump();
      if (response.statusCode !== 204) throw new Error(`change answered ${response.statusCode}`);
    }
  };

  let missed = 0;
  try {
    for (let first = 0; first < watcherIds.length; first += 50) {
      const batch = watcherIds.slice(first, first + 50).map((_, offset) => open(first + offset));
      await Promise.all(batch);
    }
    await sleep(500);
    stray = 0;
    for (let change = 0; change < options.watchChanges; change++) {
      seen.fill(0);
      seenCount = 0;
      const done = new Promise<void>((resolve) => {
        allSeen = resolve;
      });
      pendingSince = performance.now();
      const started = pendingSince;
      await send(change);
      changeLatencies.push(performance.now() - started);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, 5000);
        }),
      ]);
      clearTimeout(timer);
      missed += watcherIds.length - seenCount;
      pendingSince = undefined;
      allSeen = undefined;
      await sleep(200);
    }
    if (options.watchChanges % 2 === 1) await send(options.watchChanges);
  } finally {
    beating = false;
    clearInterval(heartbeats);
    for (const body of bodies) body.destroy();
    await streams.destroy();
    await changes.destroy();
  }
  if (heartbeatErrors > 0) options.log?.(`watch: ${heartbeatErrors} background heartbeats failed`);
  return {
    watchers: watcherIds.length,
    changes: options.watchChanges,
    latency: latencyOf(samples),
    missed,
    stray,
    changeRequest: latencyOf(changeLatencies),
  };
}

function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MB`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** The report as a plain-text table. */
export function formatReport(report: LoadReport): string {
  const header = [
    'scenario',
    'requests',
    'req/s',
    'p50',
    'p90',
    'p99',
    'max',
    'errors',
    'cpu server/load',
    'note',
  ];
  const cores = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
  const rows: string[][] = [];
  const phase = (name: string, result: PhaseResult, note: string) => {
    rows.push([
      name,
      count(result.requests),
      count(result.perSecond),
      milliseconds(result.latency.p50),
      milliseconds(result.latency.p90),
      milliseconds(result.latency.p99),
      milliseconds(result.latency.max),
      count(result.errors),
      `${cores(result.serverCpu)}/${cores(result.clientCpu)}`,
      note,
    ]);
  };
  const statuses = (result: PhaseResult) =>
    Object.entries(result.statuses)
      .map(([status, n]) => `${status}×${count(n)}`)
      .join(' ');
  phase(
    `register ${count(report.agents)} agents`,
    report.register,
    `${report.registeredAll ? 'total' : `STOPPED at the time limit after ${count(report.register.requests)} agents,`} ${report.register.seconds.toFixed(2)} s; ${statuses(report.register)}`,
  );
  if (report.head) phase('HEAD /heartbeat/{id}', report.head, statuses(report.head));
  if (report.post) phase('POST /heartbeat', report.post, statuses(report.post));
  if (report.watch) {
    const watch = report.watch;
    rows.push([
      `watch → topology frame`,
      count(watch.watchers * watch.changes),
      '-',
      milliseconds(watch.latency.p50),
      milliseconds(watch.latency.p90),
      milliseconds(watch.latency.p99),
      milliseconds(watch.latency.max),
      count(watch.missed),
      '-',
      `${watch.watchers} streams × ${watch.changes} changes; change request p50 ${milliseconds(watch.changeRequest.p50)}; ${watch.stray} stray frames`,
    ]);
  }
  if (report.memory) {
    const memory = report.memory;
    rows.push([
      'server memory',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      `RSS ${megabytes(memory.afterRegister)} after register, ${megabytes(memory.atEnd)} at end, peak ${megabytes(memory.peak)}`,
    ]);
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join(' | ')
      .trimEnd();
  return [
    `${report.url}: ${count(report.agents)} agents, ${report.concurrency} concurrent clients`,
    line(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}
