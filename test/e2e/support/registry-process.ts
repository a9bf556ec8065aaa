/**
 * A real registry process for end-to-end tests: the compiled registry (`registry/bin.js`) on a free
 * loopback port with its own database, ready once it logged `registry listening` and answers
 * `GET /health`. `stop()` sends SIGTERM, then SIGKILL if it lingers; every process started here
 * is also killed when the test worker exits, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where `registry/bin.js` lives. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface RegistryProcessOptions {
  /** `DATABASE_URL` of the process. */
  readonly databaseUrl: string;
  /** More environment variables (DEFAULT_TIMEOUT_THRESHOLD, HEALTH_CHECK_INTERVAL…). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long start-up may take before the process is killed and the start fails. */
  readonly startTimeoutMs?: number;
}

export interface RegistryProcess {
  /** `http://127.0.0.1:<port>` (`https://` with MCP_MESH_TLS_CERT). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Lines the process wrote so far (stdout and stderr), for failure messages. */
  logs(): string;
  /** Whether the process is still running. */
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. Safe to call twice. */
  stop(graceMs?: number): Promise<ProcessEnd>;
  /** SIGKILL at once (a crash); resolves when it is gone. */
  kill(): Promise<ProcessEnd>;
}

export interface ProcessEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts a registry process and waits until it serves. */
export async function startRegistryProcess(
  options: RegistryProcessOptions,
): Promise<RegistryProcess> {
  const child = spawn(process.execPath, ['registry/bin.js'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      MCP_MESH_LOG_LEVEL: 'info',
      ...options.env,
      DATABASE_URL: options.databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const ended = new Promise<ProcessEnd>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  let exited = false;
  void ended.then(() => {
    exited = true;
  });

  const address = new Promise<string>((resolve, reject) => {
    const collect = (stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        partial += chunk;
        const complete = partial.split('\n');
        partial = complete.pop() ?? '';
        for (const line of complete) {
          lines.push(line);
          if (lines.length > 500) lines.shift();
          const listening = listeningAddress(line);
          if (listening) resolve(listening);
        }
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    void ended.then((end) =>
      reject(
        new Error(
          `registry exited during start-up (code ${end.code}, signal ${end.signal}):\n${lines.join('\n')}`,
        ),
      ),
    );
  });

  const stop = async (graceMs = 5_000): Promise<ProcessEnd> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(timer);
    }
    return ended;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      address,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`registry did not start within ${timeoutMs} ms:\n${lines.join('\n')}`),
            ),
          timeoutMs,
        );
      }),
    ]);
    const listening = new URL(url);
    const port = Number(listening.port);
    const base = `${listening.protocol}//127.0.0.1:${port}`;
    // Over HTTPS the test's own CA is not this worker's to trust: the listening line suffices.
    if (listening.protocol === 'http:') await waitForHealth(base, timeoutMs);
    return {
      url: base,
      port,
      pid: child.pid!,
      logs: () => lines.join('\n'),
      get running() {
        return !exited;
      },
      stop,
      kill: async () => {
        if (!exited) child.kill('SIGKILL');
        return ended;
      },
    };
  } catch (error) {
    await stop(1_000);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function listeningAddress(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: string; address?: string };
    return entry.msg === 'registry listening' && typeof entry.address === 'string'
      ? entry.address
      : undefined;
  } catch {
    return undefined;
  }
}

async function waitForHealth(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/health`);
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`registry at ${base} never answered GET /health with 200 (${last})`);
}
