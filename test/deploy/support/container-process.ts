/**
 * A process started as a container's would be: an exact argv, working directory and environment
 * (nothing inherited from the test run), its output kept for failure messages. `stop()` is a
 * container's stop: SIGTERM, then SIGKILL once the grace period is over. Every process started
 * here is also killed when the test worker exits, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ContainerProcess {
  readonly name: string;
  readonly pid: number;
  /** Undefined while running. */
  readonly exit: ProcessExit | undefined;
  readonly exited: Promise<ProcessExit>;
  /** Output so far, stdout and stderr interleaved. */
  logs(): string;
  /** Parsed JSON log lines so far. */
  entries(): Record<string, unknown>[];
  /** SIGTERM, SIGKILL after `graceMs`; resolves with how it ended. Safe to call twice. */
  stop(graceMs: number): Promise<ProcessExit>;
  /** Dies at once (SIGKILL, no SIGTERM first): a crash, or the test's clean-up. */
  kill(): Promise<ProcessExit>;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Whether it had to be killed after its grace period. */
  readonly killed: boolean;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function startContainerProcess(options: {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}): ContainerProcess {
  const [executable, ...args] = options.argv;
  if (!executable) throw new Error(`${options.name}: empty command`);
  const child = spawn(executable, args, {
    cwd: options.cwd,
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const entries: Record<string, unknown>[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        if (lines.length > 2000) lines.shift();
        if (!line.startsWith('{')) continue;
        try {
          entries.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not a log line.
        }
      }
    });
  }
  let killed = false;
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      lines.push(`cannot start ${executable}: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      live.delete(child);
      exit = { code, signal, killed };
      resolve(exit);
    });
  });
  return {
    name: options.name,
    pid: child.pid ?? -1,
    get exit() {
      return exit;
    },
    exited,
    logs: () => lines.join('\n'),
    entries: () => [...entries],
    async stop(graceMs) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      const ended = await exited;
      clearTimeout(timer);
      return ended;
    },
    async kill() {
      if (exit) return exit;
      killed = true;
      child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Runs `argv` to its end (a probe's exec, a HEALTHCHECK); answers its exit code and output. */
export async function runToEnd(options: {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}): Promise<{ code: number | null; output: string }> {
  const process = startContainerProcess({ name: 'exec', ...options });
  const timer = setTimeout(() => void process.stop(0), options.timeoutMs);
  const end = await process.exited;
  clearTimeout(timer);
  return { code: end.code, output: process.logs() };
}
