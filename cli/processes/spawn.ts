/**
 * Starting the processes `meshctl start` manages: agents (the runtime's `agent-main` with the
 * user's module) and the registry (its package's `main`), each compiled JavaScript run by this
 * Node, each the leader of its own process group so that a stop reaches whatever it spawned.
 * Only a user's TypeScript module needs a loader: tsx, for that process alone. Detached, their
 * output goes to a log file and they outlive meshctl; in the foreground it is piped to meshctl.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ownRequire = createRequire(import.meta.url);
const typescriptModule = /\.(?:[cm]?ts|tsx)$/;

/**
 * A package's bin, found through its package.json (never through export conditions, which a
 * test runner may point at TypeScript sources): the compiled entry point users run.
 */
function packageBin(require: NodeJS.Require, name: string, bin: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    bin: Record<string, string>;
  };
  return join(dirname(manifest), bins[bin] as string);
}

/**
 * The runtime's agent runner as the agent's own project installs it, so that the module's
 * `define<Agent>()` and the runner share one copy of the runtime; meshctl's copy otherwise.
 */
function agentMain(module: string): string {
  try {
    return packageBin(createRequire(module), '@mcp-mesh/runtime', 'mcp-mesh-agent');
  } catch {
    return packageBin(ownRequire, '@mcp-mesh/runtime', 'mcp-mesh-agent');
  }
}

/** argv that runs the agent `module` (a file path) exports by default. */
export function agentCommand(module: string): string[] {
  const loader = typescriptModule.test(module) ? ['--import', import.meta.resolve('tsx')] : [];
  return [process.execPath, ...loader, agentMain(module), module];
}

/** argv that runs a registry (configured by HOST, PORT, DATABASE_URL). */
export function registryCommand(): string[] {
  return [process.execPath, packageBin(ownRequire, '@mcp-mesh/registry', 'mcp-mesh-registry')];
}

export interface LaunchOptions {
  /** argv; `command[0]` is the executable. */
  readonly command: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Detached: stdout and stderr go to this file (truncated) and the process outlives meshctl. */
  readonly logFile?: string;
}

/**
 * Starts a process in its own process group (and session: a Ctrl-C at meshctl's terminal
 * reaches meshctl only, which then stops its processes in order).
 */
export function launch(options: LaunchOptions): ChildProcess {
  const [executable, ...args] = options.command;
  if (executable === undefined) throw new Error('launch: empty command');
  let child: ChildProcess;
  if (options.logFile !== undefined) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'w');
    try {
      child = spawn(executable, args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
  } else {
    child = spawn(executable, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  // A spawn failure is reported through `exit`; without a listener `error` would throw.
  child.on('error', () => {});
  if (child.pid === undefined) throw new Error(`cannot start ${executable}`);
  return child;
}

/** The URL in an agent's `agent serving` log line, if `line` is that line. */
export function servingUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === 'agent serving' && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits for a detached agent to log `agent serving` in its log file; answers its URL, or an
 * error saying why not (it exited, or took longer than `timeoutMs`).
 */
export async function waitForServing(
  logFile: string,
  options: { readonly timeoutMs: number; readonly gone: () => boolean },
): Promise<{ url: string } | { error: string }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const exited = options.gone();
    for (const line of readLines(logFile)) {
      const url = servingUrl(line);
      if (url) return { url };
    }
    if (exited) return { error: 'it exited during start-up' };
    if (Date.now() >= deadline)
      return { error: `it did not serve within ${options.timeoutMs / 1000} s` };
    await sleep(100);
  }
}

/** The last `count` lines of a log file (empty when unreadable). */
export function logTail(logFile: string, count = 20): string[] {
  return readLines(logFile).slice(-count);
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  } catch {
    return [];
  }
}
