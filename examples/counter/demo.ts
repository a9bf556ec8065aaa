// `npm run demo:replicas`: three replicas of the counter agent and the tally agent as real
// processes, narrated: one session's calls sent to different replicas add up on one replica;
// sessions through a session-affine proxy go straight to their owners; a replica killed with
// SIGKILL loses no call, its sessions move to a live replica. Ownership lives in Redis
// (REDIS_URL, default redis://localhost:6379) under a key prefix of this run's own.
import { randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { MeshProcesses, mcpClient, runDemo, until } from '../support/local-mesh.js';
import { removeRedisKeys } from '../support/redis-keys.js';

const mesh = new MeshProcesses();
const redisUrl = process.env.REDIS_URL ?? 'redis://localhost:6379';
const keyPrefix = `mcp-mesh-demo:${randomBytes(3).toString('hex')}:`;
const replicaIds = ['counter-a', 'counter-b', 'counter-c'];
const clients: Client[] = [];

interface Count {
  count: number;
  replica: string;
}

async function call(client: Client, tool: string, session: string, by: number): Promise<Count> {
  const result = await client.callTool({ name: tool, arguments: { session_id: session, by } });
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return result.structuredContent as unknown as Count;
}

async function endpointOf(id: string): Promise<string> {
  return until(
    `agent ${id}`,
    async () => {
      const agents = await mesh.agents();
      return agents.find((agent) => agent.id === id && agent.status === 'healthy')?.endpoint;
    },
    60_000,
  );
}

async function affinity(id: string) {
  const metadata = (await (await fetch(`${await endpointOf(id)}/metadata`)).json()) as {
    affinity: { backend: string; sessions_owned: number; forwards: number; reclaims: number };
  };
  return metadata.affinity;
}

async function main(): Promise<void> {
  console.log(`1. Starting a registry (SQLite in ${mesh.directory}).`);
  await mesh.startRegistry({ DEFAULT_TIMEOUT_THRESHOLD: '3', HEALTH_CHECK_INTERVAL: '0.2' });
  console.log(`2. Starting counter replicas ${replicaIds.join(', ')} and the tally agent.`);
  const environment = (id: string) => ({
    MCP_MESH_AGENT_ID: id,
    REDIS_URL: redisUrl,
    MCP_MESH_REDIS_PREFIX: keyPrefix,
  });
  const processes = new Map(
    replicaIds.map((id) => [
      id,
      mesh.startAgent('examples/counter/handlers/counter.ts', environment(id)),
    ]),
  );
  mesh.startAgent('examples/counter/handlers/tally.ts', environment('tally-1'));
  const replicas = await Promise.all(replicaIds.map(async (id) => mcpClient(await endpointOf(id))));
  const tally = await mcpClient(await endpointOf('tally-1'));
  clients.push(...replicas, tally);
  console.log(`   Session ownership on: ${(await affinity('counter-a')).backend} (${redisUrl})`);

  console.log('3. increment "demo" by 1 on counter-a, then by 5 on counter-b, by 10 on counter-c:');
  for (const [index, by] of [1, 5, 10].entries()) {
    const answer = await call(replicas[index]!, 'increment', 'demo', by);
    console.log(`     via ${replicaIds[index]}: count ${answer.count} on ${answer.replica}`);
  }

  console.log('4. 60 calls over 6 sessions through tally (a session-affine proxy):');
  const sessions = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
  const before = await Promise.all(replicaIds.map(affinity));
  const answers = await Promise.all(
    Array.from({ length: 60 }, (_, index) => call(tally, 'add', sessions[index % 6]!, 1)),
  );
  const owner = new Map<string, string>();
  for (const [index, answer] of answers.entries()) owner.set(sessions[index % 6]!, answer.replica);
  for (const session of sessions)
    console.log(`     ${session.padEnd(6)} lives on ${owner.get(session)}`);
  const after = await Promise.all(replicaIds.map(affinity));
  const forwards = after.reduce(
    (sum, entry, index) => sum + entry.forwards - before[index]!.forwards,
    0,
  );
  console.log(`     forwards between replicas for these calls: ${forwards}`);

  const victim = owner.get('alice')!;
  console.log(`5. Killing ${victim} (SIGKILL), the owner of alice, and calling on:`);
  const child = processes.get(victim)!;
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  for (let round = 0; round < 3; round++) {
    const answer = await call(tally, 'add', 'alice', 1);
    console.log(`     alice: count ${answer.count} on ${answer.replica}`);
  }
  const live = replicaIds.filter((id) => id !== victim);
  const reclaims = (await Promise.all(live.map(affinity))).reduce(
    (sum, entry) => sum + entry.reclaims,
    0,
  );
  console.log(
    `     sessions re-claimed by live replicas: ${reclaims} (alice's count restarted: the dead replica held it)`,
  );
  console.log('6. Done: stopping everything.');
}

await runDemo(main, async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await mesh.stopAll();
  await removeRedisKeys(redisUrl, keyPrefix);
});
