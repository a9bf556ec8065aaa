/**
 * "Kubelet on loopback": the Helm chart rendered by real helm, and every Deployment's pods run as
 * processes with exactly the rendered configuration — command and args over the images' own
 * layouts (reproduced from deploy/Dockerfile), env with the downward API's fields given loopback
 * values, ports, probes, preStop hooks and grace periods (support/loopback-cluster.ts says what is
 * and is not reproduced). The registry replicas run on a PostgreSQL database of this test's own
 * (created and dropped here, given as a Secret of the user's), Redis is the machine's under a key
 * prefix of the test's own. Then pods are deleted as Kubernetes deletes them, under load.
 */
import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRedisKeys } from '../../examples/support/redis-keys.js';
import {
  createTestPostgresDatabase,
  type TestDatabase,
} from '../../registry/store/test-databases.js';
import { freePort } from '../e2e/support/free-port.js';
import { type AgentInfo, RegistryClient } from '../e2e/support/registry-client.js';
import { type KubeObject, renderChart } from './support/chart.js';
import { type ImageLayout, reproduceImage } from './support/image-layout.js';
import { LoopbackCluster, type Pod } from './support/loopback-cluster.js';

const namespace = 'mesh';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `mesh-kubelet-${randomBytes(4).toString('hex')}:`;
const registryName = 'mesh-mcp-mesh-registry';
const clockName = 'mesh-mcp-mesh-clock';
const greeterName = 'mesh-mcp-mesh-greeter';
const counterName = 'mesh-mcp-mesh-counter';
const tallyName = 'mesh-mcp-mesh-tally';

let database: TestDatabase | undefined;
let cluster: LoopbackCluster | undefined;
const layouts: ImageLayout[] = [];
let objects: KubeObject[] = [];
let registry: RegistryClient;
let greeter: Client;
let tally: Client;
let dispatcher: Agent;

/** Polls `probe` until it answers something truthy; fails with `what` and the pods' logs. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const failed = cluster!.everyPod().find((pod) => pod.failure && !pod.terminating);
    if (failed) throw new Error(`${failed.name}: ${failed.failure}\n${failed.logs()}`);
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const logs = cluster!.everyPod().map((pod) => pod.logs().split('\n').slice(-30).join('\n'));
  throw new Error(`timed out waiting for ${what} (last: ${String(last)})\n${logs.join('\n')}`);
}

const allReady = (deployment: string, replicas: number) => () => {
  const pods = cluster!.pods(deployment);
  return pods.length === replicas && pods.every((pod) => pod.ready);
};

async function agentsNamed(name: string): Promise<AgentInfo[]> {
  return (await registry.agents()).filter((agent) => agent.name === name);
}

interface Greeting {
  readonly message: string;
  readonly date?: string;
}

async function greet(name: string): Promise<Greeting> {
  const result = await greeter.callTool({ name: 'greet', arguments: { name } });
  if (result.isError) throw new Error(`greet failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as Greeting;
}

/** Greets in a loop on `workers` workers until `stop()`; every answer must carry the clock's date. */
function steadyGreetings(workers: number) {
  let running = true;
  const failures: string[] = [];
  let calls = 0;
  const done = Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (running) {
        try {
          const answer = await greet(`worker-${worker}`);
          calls++;
          if (!answer.date)
            failures.push(`call ${calls}: no date (the greeter could not reach a clock)`);
        } catch (error) {
          failures.push(String(error));
          // A call failing at once must not starve the event loop (timers, the test's timeout).
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }),
  );
  return {
    async stop() {
      running = false;
      await done;
      return { calls, failures };
    },
  };
}

/** An MCP client of an agent's Service, by its DNS name as a client in the cluster would use. */
async function serviceClient(service: string): Promise<Client> {
  const { port } = cluster!.service(service);
  const client = new Client(
    { name: 'kubelet-e2e', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    // The name is also the Host header, which the agent must accept.
    new StreamableHTTPClientTransport(
      new URL(`http://${service}.${namespace}.svc.cluster.local:${port}/mcp`),
      {
        fetch: (url, init) =>
          undiciFetch(url, { ...init, dispatcher } as Parameters<
            typeof undiciFetch
          >[1]) as unknown as Promise<Response>,
      },
    ),
  );
  return client;
}

interface Count {
  readonly count: number;
  readonly replica: string;
}

async function add(session: string): Promise<Count> {
  const result = await tally.callTool({ name: 'add', arguments: { session_id: session, by: 1 } });
  if (result.isError) throw new Error(`add failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as Count;
}

beforeAll(async () => {
  database = await createTestPostgresDatabase();
  const [registryImage, examplesImage] = await Promise.all([
    reproduceImage('registry'),
    reproduceImage('examples'),
  ]);
  layouts.push(registryImage, examplesImage);
  // Each pod has an address of its own: the rendered ports only need to be free on the wildcard.
  const registryPort = await freePort();
  const agentPort = await freePort();
  objects = await renderChart(
    {
      registry: {
        replicas: 2,
        port: registryPort,
        service: { port: registryPort },
        preStopSeconds: 1,
        terminationGracePeriodSeconds: 15,
        env: [{ name: 'HEALTH_CHECK_INTERVAL', value: '0.5' }],
      },
      postgresql: { enabled: false },
      externalDatabase: { existingSecret: 'mesh-database' },
      redis: { enabled: false, url: redisUrl, keyPrefix },
      agentDefaults: {
        port: agentPort,
        service: { port: agentPort },
        heartbeatIntervalSeconds: 1,
        preStopSeconds: 1,
        shutdownTimeoutSeconds: 5,
        terminationGracePeriodSeconds: 10,
        probes: {
          startup: { periodSeconds: 1, failureThreshold: 60 },
          liveness: { periodSeconds: 1 },
          readiness: { periodSeconds: 1, failureThreshold: 1 },
        },
      },
      agents: [
        { name: 'clock', module: 'greeting/handlers/clock.js', replicas: 2 },
        { name: 'greeter', module: 'greeting/handlers/greeter.js', replicas: 1 },
        { name: 'counter', module: 'counter/handlers/counter.js', replicas: 2 },
        { name: 'tally', module: 'counter/handlers/tally.js', replicas: 1 },
      ],
    },
    { namespace },
  );
  cluster = new LoopbackCluster(namespace, {
    'mcp-mesh/registry:0.2.0': registryImage,
    'mcp-mesh/examples:0.2.0': examplesImage,
  });
  // What the user does before installing: their database's URL in a Secret of theirs.
  cluster.createSecret('mesh-database', { DATABASE_URL: database.url });
  await cluster.apply(objects);

  dispatcher = new Agent({ connect: { lookup: cluster.lookup } });
  // The registry through its Service (what `kubectl port-forward svc/…` would reach).
  const { clusterIp, port } = cluster.service(registryName);
  registry = new RegistryClient(`http://${clusterIp}:${port}`);
}, 120_000);

afterAll(async () => {
  try {
    await greeter?.close();
    await tally?.close();
    await cluster?.shutdown();
    await dispatcher?.close();
  } finally {
    for (const layout of layouts) layout.remove();
    await database?.drop();
    await removeRedisKeys(redisUrl, keyPrefix);
  }
}, 60_000);

describe('the chart, run by a kubelet on loopback', { timeout: 90_000, sequential: true }, () => {
  it('every pod becomes Ready by its rendered probes, after its init container migrated the database', async () => {
    await until('the registry replicas Ready', allReady(registryName, 2));
    await until('the clock replicas Ready', allReady(clockName, 2));
    await until('the greeter Ready', allReady(greeterName, 1));
    for (const pod of cluster!.pods(registryName)) {
      const [migrate] = pod.initContainers;
      expect((await migrate!.exited).code, pod.logs()).toBe(0);
    }
    // The two init containers ran at once: one applied the migrations, the other found none left.
    const applied = cluster!
      .pods(registryName)
      .flatMap((pod) => pod.initContainers[0]!.entries())
      .flatMap((entry) => (entry.applied as string[] | undefined) ?? []);
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied).size).toBe(applied.length);
    // The kubelet's probes hit the rendered paths.
    const paths = new Set(
      cluster!
        .pods(clockName)
        .flatMap((pod) =>
          pod.probes.map(
            (probe) => `${probe.probe} ${new URL(probe.detail.split(' ')[0]!).pathname}`,
          ),
        ),
    );
    expect([...paths].sort()).toEqual(['liveness /livez', 'readiness /ready', 'startup /livez']);
  });

  it('agents register as their pods (name, pod IP), and the greeter reached through its Service greets with a clock’s date', async () => {
    const clocks = await until('both clocks registered', async () => {
      const found = await agentsNamed('clock');
      return found.length === 2 && found.every((agent) => agent.status === 'healthy') && found;
    });
    const pods = cluster!.pods(clockName);
    expect(clocks.map((agent) => agent.id).sort()).toEqual(pods.map((pod) => pod.name).sort());
    for (const pod of pods)
      expect(clocks.find((agent) => agent.id === pod.name)?.endpoint).toMatch(
        new RegExp(`^http://${pod.ip.replace(/\./g, '\\.')}:\\d+$`),
      );

    const { port } = cluster!.service(greeterName);
    greeter = new Client(
      { name: 'kubelet-e2e', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await greeter.connect(
      // By the Service's DNS name, as a client in the cluster would (it is the Host header).
      new StreamableHTTPClientTransport(
        new URL(`http://${greeterName}.${namespace}.svc.cluster.local:${port}/mcp`),
        {
          fetch: (url, init) =>
            undiciFetch(url, { ...init, dispatcher } as Parameters<
              typeof undiciFetch
            >[1]) as unknown as Promise<Response>,
        },
      ),
    );
    const answer = await until('the greeter wired to a clock', async () => {
      const greeting = await greet('Ada');
      return greeting.date !== undefined && greeting;
    });
    expect(answer.message).toMatch(/^Hello, Ada! Today is \d{4}-\d{2}-\d{2}\.$/);
  });

  it('deleting a clock pod under load: no call fails, it stops within its grace period and unregisters, its replacement registers', async () => {
    const load = steadyGreetings(4);
    await until('some greetings', () => true);
    const [leaving] = cluster!.pods(clockName) as [Pod];
    const { ends, replacement } = await cluster!.deletePod(leaving);
    expect(ends, leaving.logs()).toEqual([
      { container: 'agent', code: 0, signal: null, killed: false },
    ]);
    // Unregistered on SIGTERM, not left to time out (that would list it as unhealthy for an
    // hour); the registry replica asked may learn it from the other a moment later.
    await until('the deleted clock gone from the registry', async () =>
      (await registry.agents()).every((agent) => agent.id !== leaving.name),
    );
    const agentLog = leaving.containers
      .get('agent')!
      .entries()
      .map((entry) => entry.msg);
    expect(agentLog.indexOf('agent unregistered; finishing the calls in flight')).toBeGreaterThan(
      agentLog.indexOf('agent stopping'),
    );
    await until(
      'the replacement Ready and registered',
      async () =>
        replacement.ready && (await registry.agent(replacement.name))?.status === 'healthy',
    );
    const { calls, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(0);
  });

  it('deleting a registry pod under load: agents carry on through the other replica, no call fails', async () => {
    const load = steadyGreetings(2);
    const [leaving] = cluster!.pods(registryName) as [Pod];
    const { ends, replacement } = await cluster!.deletePod(leaving);
    expect(ends, leaving.logs()).toEqual([
      { container: 'registry', code: 0, signal: null, killed: false },
    ]);
    await until('the replacement registry Ready', () => replacement.ready);
    // Its init container found the schema up to date.
    expect(
      replacement.initContainers[0]!.entries().some(
        (entry) => entry.msg === 'database schema up to date',
      ),
    ).toBe(true);
    // Every agent still healthy, seen through either replica.
    const agentPods = () =>
      [clockName, greeterName, counterName, tallyName]
        .flatMap((name) => cluster!.pods(name).map((pod) => pod.name))
        .sort();
    await until('every agent pod registered and healthy', async () => {
      const agents = await registry.agents();
      const healthy = agents
        .filter((agent) => agent.status === 'healthy')
        .map((agent) => agent.id)
        .sort();
      return JSON.stringify(healthy) === JSON.stringify(agentPods());
    });
    const { failures } = await load.stop();
    expect(failures).toEqual([]);
  });

  it('a counter container that dies comes back in its pod and keeps its sessions; a deleted pod’s sessions go on elsewhere', async () => {
    await until(
      'the counters and the tally Ready',
      () => allReady(counterName, 2)() && allReady(tallyName, 1)(),
    );
    tally = await serviceClient(tallyName);
    const sessions = Array.from({ length: 12 }, (_, index) => `session-${index}`);
    const owner = new Map<string, string>();
    await until('the tally wired to both counters', async () => {
      for (const session of sessions) owner.set(session, (await add(session)).replica);
      return new Set(owner.values()).size === 2;
    });
    const [restarting, deleted] = cluster!.pods(counterName) as [Pod, Pod];

    // Same pod, same name (its id): the registry and Redis still say it owns its sessions.
    await restarting.restartContainer('agent');
    await until('the restarted counter Ready', () => restarting.ready);
    for (const session of sessions.filter((each) => owner.get(each) === restarting.name)) {
      const answer = await add(session);
      expect(answer.replica, `${session}\n${restarting.logs()}`).toBe(restarting.name);
    }

    // A deleted pod unregisters; its sessions go on on a live replica, and no call fails.
    const { ends, replacement } = await cluster!.deletePod(deleted);
    expect(ends, deleted.logs()).toEqual([
      { container: 'agent', code: 0, signal: null, killed: false },
    ]);
    for (const session of sessions) {
      const answer = await add(session);
      expect([restarting.name, replacement.name], session).toContain(answer.replica);
    }
    await until('the replacement counter Ready', () => replacement.ready);
  });
});
