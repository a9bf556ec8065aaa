// Server processes for the registry benchmark: the real registry and the HTTP floor, each in its
// own Node process on a free loopback port, killed when this process exits however it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let exitHooksInstalled = false;

function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort on the way out
    }
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
}

/**
 * Runs `cleanup` (synchronous) if this process exits, even on a signal, before the caller
 * removed it again with the function returned.
 */
export function onExit(cleanup: () => void): () => void {
  installExitHooks();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  /** SIGTERM (so a `--cpu-prof` profile gets written), then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (free when asked; the server takes it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node [nodeArgs] --import tsx <script>` from the repository root with PORT and HOST
 * set, and waits until `GET /health` answers 200. Its output goes to this process's stderr,
 * prefixed with `label`.
 */
export async function startServer(options: {
  label: string;
  script: string;
  env: Record<string, string>;
  nodeArgs?: readonly string[];
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  installExitHooks();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(options.script.endsWith('.ts') ? ['--import', 'tsx'] : []),
      options.script,
    ],
    {
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  let tail = '';
  const forward = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) {
      if (line.trim() !== '') process.stderr.write(`[${options.label}] ${line}\n`);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitUntilHealthy(url, child, options.readyTimeoutMs ?? 60_000, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid as number, url, stop };
}

async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  tail: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) at start:\n${tail()}`);
    }
    try {
      const response = await request(`${url}/health`, { headersTimeout: 2000, bodyTimeout: 2000 });
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} did not become healthy within ${timeoutMs} ms:\n${tail()}`);
}

/** Resident and peak resident memory of a process on this machine, in bytes (Linux only). */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) => {
      const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
      return match ? Number(match[1]) * 1024 : Number.NaN;
    };
    return { rss: kilobytes('VmRSS'), peak: kilobytes('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * CPU time a process has used so far (user + system), in seconds (Linux only). /proc counts in
 * clock ticks, 100 per second on Linux.
 */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
