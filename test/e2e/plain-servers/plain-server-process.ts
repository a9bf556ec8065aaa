/**
 * A plain MCP server fixture (fixtures/*.mjs) as a real process on loopback, ready once it
 * printed `listening <port>`; `stop()` sends SIGTERM and resolves when it is gone. Every process
 * started here is also killed when the test worker exits, whatever happened.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PlainServerProcess {
  /** `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `fixtures/<fixture>.mjs` with `env` and waits until it listens. */
export async function startPlainServer(
  fixture: 'sdk-v1-server' | 'fastmcp-server',
  env: Record<string, string>,
): Promise<PlainServerProcess> {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}.mjs`, import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${fixture} did not start:\n${output}`)),
      10_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${fixture} exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
