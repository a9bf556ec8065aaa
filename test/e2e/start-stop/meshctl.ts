/**
 * `meshctl start` and `meshctl stop` as a user runs them: `node cli/bin.js …` (compiled) in
 * child processes, each test with a state directory of its own. Whatever a test started is
 * killed afterwards by the pids its state directory recorded (and every pid the test saw),
 * whether the test passed or not.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import { isProcessAlive, isProcessGroupAlive } from '../../../cli/processes/liveness.js';
import type { ProcessRecord } from '../../../cli/processes/state-dir.js';
import { freePort } from '../support/free-port.js';
import { repositoryRoot } from '../support/registry-process.js';

export { freePort };

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One test's mesh: its state directory and the meshctl runs against it. */
export interface Mesh {
  readonly stateDir: string;
  /** Runs meshctl to completion. */
  run(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** Starts meshctl and leaves it running (a foreground `start`). */
  spawn(args: readonly string[]): ChildProcess;
  /** The records in the state directory, read as files (stale ones included). */
  records(): ProcessRecord[];
  /** Notes pids to make sure of after the test. */
  track(pids: Iterable<number>): void;
}

/** Environment of meshctl in tests: no colour, nothing inherited that would steer it. */
function environment(stateDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MCP_MESH_STATE_DIR: stateDir };
  for (const name of ['MCP_MESH_REGISTRY_URL', 'MCP_MESH_HTTP_PORT', 'FORCE_COLOR', 'NO_COLOR'])
    delete env[name];
  // Agents that stop quickly when told.
  env.MCP_MESH_SHUTDOWN_TIMEOUT = '2';
  return env;
}

/** Sets up `afterEach` clean-up; call `mesh()` inside a test for a fresh state directory. */
export function useMeshes(): () => Mesh {
  const meshes: { stateDir: string; pids: Set<number>; children: Set<ChildProcess> }[] = [];
  afterEach(async () => {
    for (const mesh of meshes.splice(0)) {
      for (const child of mesh.children) if (child.pid) mesh.pids.add(child.pid);
      for (const record of readRecords(mesh.stateDir)) mesh.pids.add(record.pid);
      for (const pid of mesh.pids) {
        for (const target of [-pid, pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // Gone already: as it should be.
          }
        }
      }
      await waitUntil(() => [...mesh.pids].every((pid) => !isProcessAlive(pid)), 5_000);
      rmSync(mesh.stateDir, { recursive: true, force: true });
    }
  });
  return () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshctl-e2e-'));
    const entry = { stateDir, pids: new Set<number>(), children: new Set<ChildProcess>() };
    meshes.push(entry);
    const remember = () => {
      for (const record of readRecords(stateDir)) entry.pids.add(record.pid);
    };
    return {
      stateDir,
      run(args, timeoutMs = 90_000) {
        return new Promise((resolve) => {
          execFile(
            process.execPath,
            ['cli/bin.js', ...args],
            { cwd: repositoryRoot, env: environment(stateDir), timeout: timeoutMs },
            (error, stdout, stderr) => {
              remember();
              const code = error ? ((error as { code?: unknown }).code ?? null) : 0;
              resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
            },
          );
        });
      },
      spawn(args) {
        const child = spawn(process.execPath, ['cli/bin.js', ...args], {
          cwd: repositoryRoot,
          env: environment(stateDir),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        entry.children.add(child);
        return child;
      },
      records() {
        const records = readRecords(stateDir);
        for (const record of records) entry.pids.add(record.pid);
        return records;
      },
      track(pids) {
        for (const pid of pids) entry.pids.add(pid);
      },
    };
  };
}

function readRecords(stateDir: string): ProcessRecord[] {
  const folder = join(stateDir, 'processes');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(folder, name), 'utf8')) as ProcessRecord];
      } catch {
        return [];
      }
    });
}

/** Nothing of this pid runs any more: neither it nor anything in its process group. */
export function isGone(pid: number): boolean {
  return !isProcessAlive(pid) && !isProcessGroupAlive(pid);
}

/** Whether a loopback port can be listened on. */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `check` until it holds or `timeoutMs` passes; answers whether it held. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

/** Collects a child's output as it comes. */
export function collect(child: ChildProcess): { output(): string } {
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  return { output: () => text };
}

/** The registry's agents by name, with their status. */
export async function registeredAgents(registryUrl: string): Promise<Map<string, string>> {
  try {
    const response = await fetch(`${registryUrl}/agents`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return new Map();
    const body = (await response.json()) as { agents: { name: string; status: string }[] };
    return new Map(body.agents.map((agent) => [agent.name, agent.status]));
  } catch {
    return new Map();
  }
}
