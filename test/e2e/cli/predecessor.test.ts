// Against the predecessor's released tools (npm @mcpmesh/cli-linux-x64 3.7.1, real Go binaries):
// its meshctl calls one of our agents through our registry (`/proxy/{host:port}/mcp`, then a
// session-less tools/call) and decodes our resolution events with `meshctl audit`; our meshctl
// calls one of our agents registered with its registry (403 on the agent-id key, then the
// host:port form) and reads its empty agent list.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { type RunningAgent, runAgent } from '../../../runtime/run-agent.js';
import { faultyProvider } from '../runtime/support/agents.js';
import { testConfig } from '../runtime/support/mesh.js';
import { agentBody, dependency, RegistryClient, tool, unique } from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';
import {
  freePort,
  meshctl,
  type Run,
  type Started,
  startProcess,
  stop,
  waitFor,
} from './support/mesh.js';

const binaries = join(
  dirname(createRequire(import.meta.url).resolve('@mcpmesh/cli-linux-x64/package.json')),
  'bin',
);

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  "the predecessor's meshctl and registry 3.7.1",
  () => {
    let home: string;
    let database: TestDatabase;
    let ours: RegistryProcess;
    let theirs: Started;
    let theirsUrl: string;
    const agents: RunningAgent[] = [];
    const capability = unique('echo');

    /** Runs the predecessor's meshctl; never rejects. */
    const predecessorMeshctl = (args: readonly string[]): Promise<Run> =>
      new Promise((resolve) => {
        execFile(
          join(binaries, 'meshctl'),
          args,
          { env: { ...process.env, HOME: home, NO_COLOR: '1' }, timeout: 30_000 },
          (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
            resolve({ code, stdout, stderr });
          },
        );
      });

    beforeAll(async () => {
      home = await mkdtemp(join(tmpdir(), 'mesh-predecessor-'));
      database = createTestSqliteDatabase();
      ours = await startRegistryProcess({ databaseUrl: database.url });
      const port = await freePort();
      theirsUrl = `http://127.0.0.1:${port}`;
      theirs = startProcess(
        'predecessor registry',
        [join(binaries, 'mcp-mesh-registry'), '--host', '127.0.0.1', '--port', String(port)],
        { DATABASE_URL: join(home, 'registry.db'), MCP_MESH_LOG_LEVEL: 'ERROR' },
      );
      await waitFor(
        async () => ((await fetch(`${theirsUrl}/health`)).ok ? true : undefined),
        10_000,
        () => theirs.output(),
      );
    });

    afterAll(async () => {
      await Promise.allSettled(agents.map((agent) => agent.stop()));
      await ours?.stop();
      if (theirs) await stop(theirs);
      await database?.drop();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it("our meshctl reads the predecessor's empty agent list", async () => {
      const listed = await meshctl(['list', '--json', '--registry-url', theirsUrl]);
      expect(listed.code, listed.stderr).toBe(0);
    });

    it('its meshctl calls our agent through our registry (host:port key, no initialize)', async () => {
      const provider = faultyProvider('ts-echo', { echo: capability });
      const agent = await runAgent(provider.definition, testConfig(provider.definition, ours.url));
      agents.push(agent);
      const client = new RegistryClient(ours.url);
      await waitFor(
        async () =>
          (await client.agents()).some((a) => a.id === agent.agentId) ? true : undefined,
        10_000,
        () => 'the agent to register',
      );
      const called = await predecessorMeshctl([
        'call',
        `${agent.agentId}:echo`,
        '{"value":"from the predecessor"}',
        '--registry-url',
        ours.url,
      ]);
      expect(called.code, `${called.stdout}\n${called.stderr}`).toBe(0);
      expect(called.stdout).toContain('from the predecessor');
      expect(provider.log.calls.echo).toBe(1);
    });

    it('its meshctl audit decodes our resolution events: the chosen provider, not "unresolved"', async () => {
      const client = new RegistryClient(ours.url);
      const provider = (await client.agents()).find((a) =>
        a.capabilities.some((c) => c.name === capability),
      );
      expect(provider).toBeDefined();
      const consumerId = unique('consumer');
      await client.register(
        agentBody(consumerId, [
          tool('consume', unique('consume'), { dependencies: [dependency(capability)] }),
        ]),
      );
      await waitFor(
        async () => ((await client.events({ agent_id: consumerId })).length > 1 ? true : undefined),
        10_000,
        () => 'the resolution event',
      );
      const audit = await predecessorMeshctl([
        'audit',
        consumerId,
        '--json',
        '--registry-url',
        ours.url,
      ]);
      expect(audit.code, `${audit.stdout}\n${audit.stderr}`).toBe(0);
      const parsed = JSON.parse(audit.stdout) as {
        events: {
          event_type: string;
          trace?: { chosen?: { agent_id: string }; dep_index: number };
        }[];
      };
      expect(parsed.events[0]?.event_type).toBe('dependency_resolved');
      expect(parsed.events[0]?.trace?.chosen?.agent_id).toBe(provider?.id);
      const table = await predecessorMeshctl(['audit', consumerId, '--registry-url', ours.url]);
      expect(table.stdout).toContain(provider?.id.slice(0, 21));
      expect(table.stdout).not.toContain('(unresolved)');
    });

    it("our meshctl calls our agent registered with the predecessor's registry (403, then host:port)", async () => {
      const provider = faultyProvider('ts-echo-there', { echo: capability });
      const agent = await runAgent(provider.definition, testConfig(provider.definition, theirsUrl));
      agents.push(agent);
      await waitFor(
        async () => {
          const answer = (await (await fetch(`${theirsUrl}/agents`)).json()) as {
            agents: { id: string }[] | null;
          };
          return answer.agents?.some((a) => a.id === agent.agentId) ? true : undefined;
        },
        10_000,
        () => 'the agent to register with the predecessor',
      );
      const called = await meshctl([
        'call',
        `${agent.agentId}:echo`,
        '{"value":"through their registry"}',
        '--registry-url',
        theirsUrl,
      ]);
      expect(called.code, called.stderr).toBe(0);
      expect(called.stdout).toContain('through their registry');
      expect(provider.log.calls.echo).toBe(1);
    });
  },
);
