import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive, isProcessGroupAlive } from './liveness.js';
import { stopProcess } from './stop-process.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** A detached node process (leading its own group) running `script`; resolves once it says `ready`. */
async function node(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('exited before ready')));
    child.stdout?.setEncoding('utf8');
    let seen = '';
    child.stdout?.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes('ready')) resolve();
    });
  });
  return child;
}

const idle = 'setInterval(() => {}, 1000); console.log("ready");';

describe('stopProcess', () => {
  it('stops a process that exits on SIGTERM', async () => {
    const child = await node(idle);
    const pid = child.pid as number;
    expect(await stopProcess({ pid, processGroup: true }, { timeoutMs: 5_000 })).toBe('stopped');
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the timeout is up', async () => {
    const child = await node(`process.on('SIGTERM', () => {}); ${idle}`);
    const pid = child.pid as number;
    const began = Date.now();
    expect(await stopProcess({ pid, processGroup: true }, { timeoutMs: 300 })).toBe('killed');
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('takes what the process spawned along (its process group)', async () => {
    // Ready once the grandchild has said that it ignores SIGTERM: a grandchild still booting
    // would die of the SIGTERM, and nothing would be left for the SIGKILL to take.
    const child = await node(`
      const { spawn } = require('node:child_process');
      const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('armed'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'inherit'] });
      grandchild.stdout.once('data', () => console.log('ready ' + grandchild.pid));
      setInterval(() => {}, 1000);`);
    const pid = child.pid as number;
    expect(isProcessGroupAlive(pid)).toBe(true);
    // The leader exits on SIGTERM; the grandchild ignores it and needs the SIGKILL.
    expect(await stopProcess({ pid, processGroup: true }, { timeoutMs: 500 })).toBe('killed');
    expect(isProcessGroupAlive(pid)).toBe(false);
  });

  it('sends a single SIGTERM (a second one would end a graceful stop at once)', async () => {
    const child = await node(`
      let count = 0;
      process.on('SIGTERM', () => { count += 1; setTimeout(() => process.exit(count), 200); });
      ${idle}`);
    const pid = child.pid as number;
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(await stopProcess({ pid, processGroup: true }, { timeoutMs: 5_000 })).toBe('stopped');
    expect(await exit).toBe(1);
  });

  it('answers not-running for a process that is gone', async () => {
    const child = await node(idle);
    const pid = child.pid as number;
    const exit = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exit;
    expect(await stopProcess({ pid, processGroup: true }, { timeoutMs: 1_000 })).toBe(
      'not-running',
    );
  });
});
