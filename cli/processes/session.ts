/**
 * The processes one `meshctl start` started: launched, recorded in the state directory,
 * their output prefixed (foreground) or sent to log files (detached), and stopped in order —
 * agents first, then the registry — when asked, on failure, or on Ctrl-C.
 */
import type { ChildProcess } from 'node:child_process';
import { type Colour, colourFor, formatPrefix, LineSplitter } from './log-prefixer.js';
import { launch, servingUrl } from './spawn.js';
import type { ProcessKind, ProcessRecord, ProcessRecords } from './state-dir.js';
import { type StopOutcome, signal, stopProcess } from './stop-process.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One process of the session. */
export interface Managed {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  /** Set once it exited. */
  readonly exit: ExitStatus | undefined;
  /** The session asked it to stop (an exit then is no surprise). */
  readonly stopRequested: boolean;
  readonly record: ProcessRecord;
}

export interface LaunchRequest {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly url?: string;
  readonly port?: number;
  readonly source?: string;
}

/** Where meshctl's own lines and (foreground) the processes' lines go. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface SessionOptions {
  readonly records: ProcessRecords;
  readonly detach: boolean;
  readonly cwd: string;
  /** SIGTERM → SIGKILL grace for each process. */
  readonly stopTimeoutMs: number;
  readonly output: Output;
  /** Colour the prefixes (foreground, when `wantsColor` says so). */
  readonly colour: boolean;
  /** Every name that may appear, to pad prefixes to one width. */
  readonly names: readonly string[];
  /** Called when a process exits that the session did not ask to stop. */
  readonly onUnexpectedExit?: (managed: Managed) => void;
}

interface MutableManaged extends Managed {
  exit: ExitStatus | undefined;
  stopRequested: boolean;
  record: ProcessRecord;
}

export class Session {
  private readonly running = new Map<string, MutableManaged>();
  private readonly colours = new Map<string, Colour>();
  private readonly width: number;

  constructor(private readonly options: SessionOptions) {
    this.width = Math.max('meshctl'.length, ...options.names.map((name) => name.length));
    let agents = 0;
    for (const name of options.names) {
      this.colours.set(name, colourFor(name === 'registry' ? 'registry' : 'agent', agents));
      if (name !== 'registry') agents += 1;
    }
  }

  /** Processes started and not yet exited. */
  get live(): Managed[] {
    return [...this.running.values()].filter((managed) => managed.exit === undefined);
  }

  get(name: string): Managed | undefined {
    return this.running.get(name);
  }

  /** meshctl's own line, in the foreground prefixed like the processes' lines. */
  say(message: string, stream: 'out' | 'err' = 'out'): void {
    const line = this.options.detach ? `${message}\n` : `${this.prefix('meshctl')}${message}\n`;
    this.options.output[stream](line);
  }

  /** Launches a process and records it in the state directory. */
  start(request: LaunchRequest): Managed {
    const { records, detach, cwd } = this.options;
    const logFile = detach ? records.logFile(request.name) : undefined;
    const child = launch({
      command: request.command,
      env: request.env,
      cwd,
      ...(logFile === undefined ? {} : { logFile }),
    });
    const pid = child.pid as number;
    const record: ProcessRecord = {
      name: request.name,
      kind: request.kind,
      pid,
      processGroup: true,
      ...(request.url === undefined ? {} : { url: request.url }),
      ...(request.port === undefined ? {} : { port: request.port }),
      ...(logFile === undefined ? {} : { logFile }),
      startedAt: new Date().toISOString(),
      command: request.command,
      cwd,
      detached: detach,
      ...(detach ? {} : { supervisor: process.pid }),
      ...(request.source === undefined ? {} : { source: request.source }),
    };
    records.write(record);

    let resolveExit!: (status: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => {
      resolveExit = resolve;
    });
    const managed: MutableManaged = {
      name: request.name,
      kind: request.kind,
      pid,
      child,
      exited,
      exit: undefined,
      stopRequested: false,
      record,
    };
    this.running.set(request.name, managed);

    if (!detach) {
      this.pipe(managed, child.stdout, 'out');
      this.pipe(managed, child.stderr, 'err');
    }
    child.once('exit', (code, exitSignal) => {
      managed.exit = { code, signal: exitSignal };
      records.remove(managed.name, pid);
      resolveExit(managed.exit);
      if (!managed.stopRequested) this.options.onUnexpectedExit?.(managed);
    });
    return managed;
  }

  /** Notes where an agent serves, in its record. */
  setUrl(managed: Managed, url: string): void {
    const mutable = managed as MutableManaged;
    if (mutable.exit !== undefined) return;
    const port = Number(new URL(url).port) || undefined;
    mutable.record = { ...mutable.record, url, ...(port === undefined ? {} : { port }) };
    this.options.records.write(mutable.record);
  }

  /** Stops one process: SIGTERM to its group, SIGKILL after the timeout; waits for its exit. */
  async stop(managed: Managed): Promise<StopOutcome> {
    const mutable = managed as MutableManaged;
    mutable.stopRequested = true;
    if (mutable.exit !== undefined) return 'not-running';
    const outcome = await stopProcess(
      { pid: managed.pid, processGroup: true },
      { timeoutMs: this.options.stopTimeoutMs },
    );
    // Our own child: `exit` follows the process's end at once (or it is already in).
    await Promise.race([managed.exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    this.options.records.remove(managed.name, managed.pid);
    return outcome;
  }

  /** Stops every live process: the agents together, then the registry. */
  async stopAll(): Promise<void> {
    const live = this.live;
    for (const managed of live) (managed as MutableManaged).stopRequested = true;
    await Promise.all(
      live.filter((managed) => managed.kind === 'agent').map((managed) => this.stop(managed)),
    );
    await Promise.all(
      live.filter((managed) => managed.kind === 'registry').map((managed) => this.stop(managed)),
    );
  }

  /** SIGKILL to every live process group at once (a second Ctrl-C); records removed. */
  killAll(): void {
    for (const managed of this.live) {
      (managed as MutableManaged).stopRequested = true;
      signal({ pid: managed.pid, processGroup: true }, 'SIGKILL');
      this.options.records.remove(managed.name, managed.pid);
    }
  }

  /** Detached start done: let meshctl exit while the processes run on. */
  release(): void {
    for (const managed of this.running.values()) managed.child.unref();
  }

  private prefix(name: string): string {
    return formatPrefix(name, {
      width: this.width,
      colour: this.options.colour ? (this.colours.get(name) ?? 'grey') : undefined,
    });
  }

  /** Prefixes every line of a child's stream onto ours (an unterminated last line at its end). */
  private pipe(
    managed: MutableManaged,
    stream: NodeJS.ReadableStream | null,
    to: 'out' | 'err',
  ): void {
    if (!stream) return;
    const splitter = new LineSplitter();
    const prefix = this.prefix(managed.name);
    const emit = (lines: string[]) => {
      if (lines.length === 0) return;
      this.options.output[to](lines.map((line) => `${prefix}${line}\n`).join(''));
      if (managed.kind === 'agent') {
        for (const line of lines) {
          const url = servingUrl(line);
          if (url) this.setUrl(managed, url);
        }
      }
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => emit(splitter.push(chunk)));
    stream.on('end', () => emit(splitter.flush()));
  }
}
