/**
 * A real agent process for end-to-end tests, started as `meshctl start` starts one (the compiled
 * runtime's agent-main; tsx only for a TypeScript handler module) on a free loopback port, ready once it logged `agent serving`. `stop()` sends SIGTERM (the
 * agent unregisters and exits), then SIGKILL if it lingers; every process started here is also
 * killed when the test worker exits, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { agentCommand } from '../../../../cli/processes/spawn.js';
import { repositoryRoot } from '../../support/registry-process.js';

export interface AgentProcessOptions {
  /** The handler module whose default export is the agent, relative to the repository root. */
  readonly module: string;
  /** Environment of the agent (MCP_MESH_REGISTRY_URL, MCP_MESH_AGENT_ID…). */
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface AgentProcess {
  /** `http://127.0.0.1:<port>`; MCP at `${url}/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly running: boolean;
  /** Lines written so far (stdout and stderr), for failure messages. */
  logs(): string;
  /** Parsed JSON log lines written so far. */
  entries(): Record<string, unknown>[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. Safe to call twice. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL at once. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startAgentProcess(options: AgentProcessOptions): Promise<AgentProcess> {
  const [executable, ...args] = agentCommand(resolve(repositoryRoot, options.module));
  const child = spawn(executable as string, args, {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      MCP_MESH_HTTP_HOST: '127.0.0.1',
      MCP_MESH_HTTP_PORT: '0',
      MCP_MESH_LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const entries: Record<string, unknown>[] = [];
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  let exited = false;
  void ended.then(() => {
    exited = true;
  });

  const serving = new Promise<string>((resolve, reject) => {
    const collect = (stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        partial += chunk;
        const complete = partial.split('\n');
        partial = complete.pop() ?? '';
        for (const line of complete) {
          lines.push(line);
          if (lines.length > 1000) lines.shift();
          const entry = parse(line);
          if (!entry) continue;
          entries.push(entry);
          if (entry.msg === 'agent serving' && typeof entry.url === 'string') resolve(entry.url);
        }
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    void ended.then((end) =>
      reject(
        new Error(
          `agent ${options.module} exited during start-up (code ${end.code}, signal ${end.signal}):\n${lines.join('\n')}`,
        ),
      ),
    );
  });

  const stop = async (graceMs = 5_000) => {
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
      serving,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `agent ${options.module} did not serve within ${timeoutMs} ms:\n${lines.join('\n')}`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
    return {
      url,
      port: Number(new URL(url).port),
      pid: child.pid!,
      get running() {
        return !exited;
      },
      logs: () => lines.join('\n'),
      entries: () => [...entries],
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

function parse(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
