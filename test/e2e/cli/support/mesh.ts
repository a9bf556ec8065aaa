/**
 * Real processes for the meshctl end-to-end tests: a registry on a free port with its own
 * SQLite file, agents registered with it, and meshctl itself. Everything started here is
 * stopped by `stopAll()` (and killed if the test worker exits first).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/free-port.js';

export { freePort };

/** The repository root: meshctl, the registry and the agents run from here. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  /** What it wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  readonly exited: Promise<void>;
}

const live = new Set<Started>();
process.once('exit', () => {
  for (const started of live) started.child.kill('SIGKILL');
});

/** Starts `command` (argv, `command[0]` the executable) from the repository root. */
export function startProcess(
  name: string,
  command: readonly string[],
  env: Readonly<Record<string, string>>,
): Started {
  const [executable, ...args] = command;
  const child = spawn(executable as string, args, {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(started);
      resolve();
    });
  });
  const started: Started = { name, child, output: () => output, exited };
  live.add(started);
  return started;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(started: Started, graceMs = 5_000): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  await started.exited;
  clearTimeout(timer);
}

/** SIGKILL at once (a crash: the agent cannot unregister); resolves once it is gone. */
export async function crash(started: Started): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGKILL');
  await started.exited;
}

/** Stops every process still running, all at once. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((started) => stop(started, 3_000)));
}

/** Polls `probe` until it answers a value, or fails after `timeoutMs` with `describe()`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms: ${describe()}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs meshctl as a user does (a process), without colour; never rejects. */
export function meshctl(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['cli/bin.js', ...args],
      {
        cwd: repositoryRoot,
        env: { ...process.env, NO_COLOR: '1', ...env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A stack trace line, which meshctl must never print. */
export const stackTraceLine = /^\s+at /m;
