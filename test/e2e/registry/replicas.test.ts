import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPostgresDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';

// Two registry replicas sharing one PostgreSQL database give the same answers: each reads the
// other's lifecycle changes from the event log (MCP_MESH_REGISTRY_SYNC_INTERVAL).
describe('two registry replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  let first: RegistryProcess;
  let second: RegistryProcess;
  const environment = {
    MCP_MESH_REGISTRY_SYNC_INTERVAL: '0.2',
    HEALTH_CHECK_INTERVAL: '0.2',
    DEFAULT_TIMEOUT_THRESHOLD: '2',
  };

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    first = await startRegistryProcess({ databaseUrl: database.url, env: environment });
    second = await startRegistryProcess({ databaseUrl: database.url, env: environment });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([first?.stop(), second?.stop()]);
    await database?.drop();
  });

  const post = (registry: RegistryProcess, body: object) =>
    fetch(`${registry.url}/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const agentIds = async (registry: RegistryProcess) =>
    (
      (await (await fetch(`${registry.url}/agents?status=healthy`)).json()) as {
        agents: { id: string }[];
      }
    ).agents
      .map((agent) => agent.id)
      .sort();
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the replicas did not agree: ${what}\n${first.logs()}\n${second.logs()}`);
  };

  const clock = {
    agent_id: 'clock-1',
    name: 'clock',
    http_port: 9101,
    tools: [{ function_name: 'get_current_date', capability: 'date_service', tags: ['system'] }],
  };
  const greeter = {
    agent_id: 'greeter-1',
    name: 'greeter',
    http_port: 9102,
    tools: [
      {
        function_name: 'greet',
        capability: 'greeting',
        dependencies: [{ capability: 'date_service', tags: ['system'] }],
      },
    ],
  };

  it('an agent registered on one replica is listed and resolved by the other', async () => {
    expect((await post(first, clock)).status).toBe(200);
    await eventually(
      async () => (await agentIds(second)).includes('clock-1'),
      'clock registered on the first replica',
    );
    const answer = (await (await post(second, greeter)).json()) as {
      dependencies_resolved: Record<string, { agent_id: string }[]>;
    };
    expect(answer.dependencies_resolved.greet?.[0]?.agent_id).toBe('clock-1');
    await eventually(
      async () => JSON.stringify(await agentIds(first)) === JSON.stringify(await agentIds(second)),
      'same agents on both',
    );
  });

  it('heartbeats sent to one replica keep the agent healthy on the other', async () => {
    // The agent talks only to the second replica for longer than the threshold (2 s).
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      expect((await fetch(`${second.url}/heartbeat/clock-1`, { method: 'HEAD' })).status).not.toBe(
        410,
      );
      await post(second, greeter);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await agentIds(first)).toContain('clock-1');
  });

  it('a graceful unregistration on one replica removes the agent from the other', async () => {
    expect((await fetch(`${second.url}/agents/clock-1`, { method: 'DELETE' })).status).toBe(204);
    await eventually(
      async () => !(await agentIds(first)).includes('clock-1'),
      'clock unregistered on the second replica',
    );
    const answer = (await (await post(first, greeter)).json()) as {
      dependencies_resolved: Record<string, { status: string }[]>;
    };
    expect(answer.dependencies_resolved.greet?.[0]?.status).toBe('unresolved');
  });
});
