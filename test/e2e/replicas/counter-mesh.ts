// The counter example as real processes for replica tests: a registry, counter replicas with
// fixed ids, a tally agent, and MCP clients to each; Redis keys under a prefix of the run's own.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { MeshProcesses, mcpClient, until } from '../../../examples/support/local-mesh.js';
import { removeRedisKeys } from '../../../examples/support/redis-keys.js';

export { until };

/** What `increment` and `add` answer. */
export interface Count {
  readonly count: number;
  readonly replica: string;
}

/** Affinity statistics from a replica's `/metadata`. */
export interface AffinityStatistics {
  readonly backend: 'redis' | 'memory';
  readonly sessions_owned: number;
  readonly forwards: number;
  readonly reclaims: number;
  readonly fallbacks_to_memory: number;
}

// Generous: five processes start at once on a small, shared machine.
const startWaitMs = 60_000;

const counterHandler = 'examples/counter/handlers/counter.ts';
const tallyHandler = 'examples/counter/handlers/tally.ts';

export class CounterMesh {
  readonly processes = new MeshProcesses();
  readonly keyPrefix = `mcp-mesh-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  readonly replicas = new Map<string, ChildProcess>();
  private readonly clients: Client[] = [];

  constructor(readonly redisUrl: string) {}

  /** Registry (unhealthy after 3 s of silence), the replicas, and the tally agent. */
  async start(replicaIds: readonly string[]): Promise<void> {
    await this.processes.startRegistry({
      DEFAULT_TIMEOUT_THRESHOLD: '3',
      HEALTH_CHECK_INTERVAL: '0.2',
    });
    for (const id of replicaIds) this.startReplica(id);
    this.processes.startAgent(tallyHandler, this.redisEnvironment('tally-1'));
    await Promise.all(replicaIds.map((id) => this.endpointOf(id)));
    await this.tallySees(replicaIds);
  }

  startReplica(id: string): ChildProcess {
    const child = this.processes.startAgent(counterHandler, this.redisEnvironment(id));
    this.replicas.set(id, child);
    return child;
  }

  /** Kills a replica the hard way: no deregistration, connections cut mid-call. */
  async kill(id: string): Promise<void> {
    const child = this.replicas.get(id);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  endpointOf(agentId: string): Promise<string> {
    return until(
      `agent ${agentId}`,
      async () => {
        const agents = await this.processes.agents();
        return agents.find((agent) => agent.id === agentId && agent.status === 'healthy')?.endpoint;
      },
      startWaitMs,
    );
  }

  async client(agentId: string): Promise<Client> {
    const client = await mcpClient(await this.endpointOf(agentId));
    this.clients.push(client);
    return client;
  }

  /** Waits until the tally agent's proxy has exactly these counter replicas to call. */
  async tallySees(replicaIds: readonly string[]): Promise<void> {
    const tally = await this.endpointOf('tally-1');
    await until(
      `tally to see ${replicaIds.join(', ')}`,
      async () => {
        const metadata = (await (await fetch(`${tally}/metadata`)).json()) as {
          wiring: { add?: { providers: { agent_id: string }[] }[] };
        };
        const seen = (metadata.wiring.add?.[0]?.providers ?? []).map(
          (provider) => provider.agent_id,
        );
        return replicaIds.every((id) => seen.includes(id)) && seen.length === replicaIds.length
          ? true
          : undefined;
      },
      startWaitMs,
    );
  }

  async statistics(agentId: string): Promise<AffinityStatistics> {
    const response = await fetch(`${await this.endpointOf(agentId)}/metadata`);
    return ((await response.json()) as { affinity: AffinityStatistics }).affinity;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.close()));
    await this.processes.stopAll();
    await removeRedisKeys(this.redisUrl, this.keyPrefix);
  }

  private redisEnvironment(agentId: string): Record<string, string> {
    return {
      MCP_MESH_AGENT_ID: agentId,
      REDIS_URL: this.redisUrl,
      MCP_MESH_REDIS_PREFIX: this.keyPrefix,
    };
  }
}

/** The `{count, replica}` a counter or tally call answered; throws on an error result. */
export async function countOf(
  client: Client,
  tool: 'increment' | 'add',
  sessionId: string,
  by: number,
): Promise<Count> {
  const result = await client.callTool({ name: tool, arguments: { session_id: sessionId, by } });
  if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as Count;
}

/** Calls `call` over and over from `workers` loops until `running()` turns false. */
export async function steadyLoad(
  workers: number,
  running: () => boolean,
  call: (worker: number, round: number) => Promise<void>,
): Promise<{ calls: number; failures: unknown[] }> {
  let calls = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let round = 0; running(); round++) {
        calls++;
        try {
          await call(worker, round);
        } catch (error) {
          failures.push(error);
        }
      }
    }),
  );
  return { calls, failures };
}
