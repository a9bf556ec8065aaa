// What the call benchmarks share: sequential latencies, throughput at a fixed number in flight,
// percentiles, and agents started as real processes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { agentCommand } from '../cli/processes/spawn.js';

/** One call of whatever is measured. */
export type Call = () => Promise<unknown>;

/** Milliseconds each of `count` calls took, one after the other. */
export async function latencies(call: Call, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Calls per second for `count` calls with `concurrency` in flight. */
export async function throughput(call: Call, count: number, concurrency: number): Promise<number> {
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < count) await call();
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

/** An agent process started by a benchmark. */
export interface AgentProcess {
  /** `http://host:port`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the agent `module` exports as meshctl does, on any free port; answers once it serves. */
export async function startAgentProcess(
  module: string,
  environment: Record<string, string> = {},
): Promise<AgentProcess> {
  const [executable, ...args] = agentCommand(resolve(module));
  const child = spawn(executable as string, args, {
    env: {
      ...process.env,
      MCP_MESH_REGISTRY_URL: 'off',
      MCP_MESH_HTTP_PORT: '0',
      ...environment,
      MCP_MESH_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const url = /"url":"(http:[^"]+)"/.exec(line)?.[1];
    if (url) {
      lines.close();
      child.stdout.resume();
      return {
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error(`${module} did not start`);
}
