/**
 * The environment as a user sets it, on real processes (the compiled registry, an agent started
 * as meshctl starts one): the predecessor's spelling of log levels works, and a value neither
 * can use stops the process at once with one line that names the variable and what to write —
 * no stack trace.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentCommand } from '../../../cli/processes/spawn.js';
import { repositoryRoot } from '../support/registry-process.js';
import { useCleanup } from './support/cleanup.js';
import { eventually, freePort, sqliteDatabase } from './support/mesh.js';

const registryCommand = [process.execPath, resolve(repositoryRoot, 'registry/bin.js')];
const clockAgent = agentCommand(resolve(repositoryRoot, 'examples/greeting/handlers/clock.ts'));

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `command` until it exits by itself (killed after 20 s: it should have refused to start). */
function runToExit(command: readonly string[], env: Record<string, string>): Promise<Exit> {
  const [executable, ...args] = command;
  return new Promise((done) => {
    execFile(
      executable as string,
      args,
      {
        cwd: repositoryRoot,
        env: { ...process.env, MCP_MESH_REGISTRY_URL: 'off', REDIS_URL: 'off', ...env },
        timeout: 20_000,
      },
      (error, _stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
      },
    );
  });
}

const stackFrame = /^\s+at /m;

describe('environment variables on real processes', { timeout: 60_000 }, () => {
  const cleanup = useCleanup();

  function started(command: readonly string[], env: Record<string, string>): ChildProcess {
    const [executable, ...args] = command;
    const child = spawn(executable as string, args, {
      cwd: repositoryRoot,
      env: { ...process.env, MCP_MESH_REGISTRY_URL: 'off', REDIS_URL: 'off', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return cleanup.defer(child, async (running) => {
      if (running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    });
  }

  async function healthy(url: string, child: ChildProcess): Promise<void> {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await eventually(
      `${url} to answer`,
      async () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
        return (await fetch(url)).ok;
      },
      30_000,
    );
  }

  it('the registry runs with MCP_MESH_LOG_LEVEL=WARNING (the predecessor’s spelling)', async () => {
    const port = await freePort();
    const child = started(registryCommand, {
      PORT: String(port),
      DATABASE_URL: sqliteDatabase(cleanup).url,
      MCP_MESH_LOG_LEVEL: 'WARNING',
    });
    await healthy(`http://127.0.0.1:${port}/health`, child);
  });

  it('an agent runs with MCP_MESH_LOG_LEVEL=WARNING', async () => {
    const port = await freePort();
    const child = started(clockAgent, {
      MCP_MESH_HTTP_PORT: String(port),
      MCP_MESH_LOG_LEVEL: 'WARNING',
    });
    await healthy(`http://127.0.0.1:${port}/livez`, child);
  });

  it.each([
    [
      'MCP_MESH_LOG_LEVEL',
      'LOUD',
      'MCP_MESH_LOG_LEVEL=LOUD is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL, or trace, debug, info, warn, error, fatal, silent (any case)',
    ],
    [
      'HEALTH_CHECK_INTERVAL',
      '0',
      'HEALTH_CHECK_INTERVAL=0 is not a positive duration: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)',
    ],
  ])(
    'the registry given %s=%s exits 1 with that message and no stack trace',
    async (name, value, message) => {
      const exit = await runToExit(registryCommand, {
        PORT: '0',
        DATABASE_URL: sqliteDatabase(cleanup).url,
        [name]: value,
      });
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim()).toBe(`cannot start the registry: ${message}`);
      expect(exit.stderr).not.toMatch(stackFrame);
    },
  );

  it.each([
    [
      'MCP_MESH_HEALTH_INTERVAL',
      '0',
      'MCP_MESH_HEALTH_INTERVAL=0 is not a positive duration: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)',
    ],
    [
      'MCP_MESH_LOG_LEVEL',
      'LOUD',
      'MCP_MESH_LOG_LEVEL=LOUD is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL, or trace, debug, info, warn, error, fatal, silent (any case)',
    ],
  ])(
    'an agent given %s=%s exits 1 with that message and no stack trace',
    async (name, value, message) => {
      const exit = await runToExit(clockAgent, { MCP_MESH_HTTP_PORT: '0', [name]: value });
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim()).toBe(`cannot start agent clock: ${message}`);
      expect(exit.stderr).not.toMatch(stackFrame);
    },
  );
});
