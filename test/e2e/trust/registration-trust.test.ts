// Registration trust against a real registry process (SQLite): with MCP_MESH_TRUST_KEY set,
// an impostor without a credential, with another agent's credential, with an expired one or
// one from another mesh cannot register, heartbeat, replace or delete an agent; every attempt
// is answered 401/403 with an ErrorResponse, leaves a `refused` event and changes nothing. An
// admin credential deletes any agent, drives the proxy and reads the protected events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { type TestMesh, testMesh } from '../../../runtime/trust/trust.fixture.js';
import {
  type Answer,
  agentBody,
  type EventInfo,
  errorBody,
  RegistryClient,
  tool,
  unique,
} from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

describe('registration trust', () => {
  let mesh: TestMesh;
  let database: TestDatabase;
  let registry: RegistryProcess;
  let client: RegistryClient;
  let owner: string;
  let impostor: string;
  let admin: string;
  const victim = unique('trust-victim');
  const victimBody = agentBody(victim, [tool('forecast', 'weather')], { name: 'weather-agent' });

  const as = (credential: string | undefined) => ({
    heartbeat: (body: unknown) =>
      client.call('POST', '/heartbeat', {
        json: body,
        ...(credential === undefined ? {} : { headers: bearer(credential) }),
      }),
    head: (id: string) =>
      client.call(
        'HEAD',
        `/heartbeat/${encodeURIComponent(id)}`,
        credential === undefined ? {} : { headers: bearer(credential) },
      ),
    remove: (id: string) =>
      client.call(
        'DELETE',
        `/agents/${encodeURIComponent(id)}`,
        credential === undefined ? {} : { headers: bearer(credential) },
      ),
    events: (query = '') =>
      client.call(
        'GET',
        `/events${query}`,
        credential === undefined ? {} : { headers: bearer(credential) },
      ),
  });

  const refusedEvents = async (): Promise<EventInfo[]> => {
    const answer = await as(admin).events(`?type=refused&agent_id=${victim}&limit=1000`);
    expect(answer.status).toBe(200);
    return (answer.json as { events: EventInfo[] }).events;
  };

  const expectRefused = (answer: Answer, status: 401 | 403, reason: string) => {
    expect(answer.status, answer.text).toBe(status);
    if (answer.text === '') return; // HEAD answers carry no body
    const body = errorBody(answer);
    expect(body.error).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    expect(body.details).toEqual({ reason });
  };

  const victimUnchanged = async () => {
    const agents = await client.agents();
    const stored = agents.find((agent) => agent.id === victim);
    expect(stored?.name).toBe('weather-agent');
    expect(stored?.endpoint).toBe(`http://127.0.0.1:${victimBody.http_port}`);
    expect(stored?.status).toBe('healthy');
  };

  beforeAll(async () => {
    mesh = await testMesh();
    database = createTestSqliteDatabase();
    registry = await startRegistryProcess({
      databaseUrl: database.url,
      env: { MCP_MESH_TRUST_KEY: mesh.publicPem, MCP_MESH_TRUST_PROTECT_EVENTS: 'true' },
    });
    client = new RegistryClient(registry.url);
    owner = (await mesh.mint({ agents: ['weather-agent'] }, { subject: 'weather team' }))
      .credential;
    impostor = (await mesh.mint({ agents: ['impostor'] }, { subject: 'impostor' })).credential;
    admin = (await mesh.mint({ admin: true }, { subject: 'ops' })).credential;
    const registered = await as(owner).heartbeat(victimBody);
    expect(registered.status, registered.text).toBe(200);
  });
  afterAll(async () => {
    try {
      await registry?.stop();
    } finally {
      await database?.drop();
    }
  });

  it('lets the holder heartbeat its agent', async () => {
    expect((await as(owner).head(victim)).status).toBe(200);
    expect((await as(owner).heartbeat(victimBody)).status).toBe(200);
  });

  it('refuses an impostor without a credential: register, heartbeat, replace, delete', async () => {
    const before = (await refusedEvents()).length;
    const replacement = { ...victimBody, http_port: 9 };
    expectRefused(await as(undefined).heartbeat(replacement), 401, 'missing_credential');
    expectRefused(await as(undefined).head(victim), 401, 'missing_credential');
    expectRefused(await as(undefined).remove(victim), 401, 'missing_credential');
    expectRefused(await as('garbage').heartbeat(replacement), 401, 'invalid_credential');
    const fresh = agentBody(unique('trust-anonymous'), [tool('t', 'c')]);
    expectRefused(await as(undefined).heartbeat(fresh), 401, 'missing_credential');
    await victimUnchanged();
    expect((await client.agents()).some((agent) => agent.id === fresh.agent_id)).toBe(false);
    const events = await refusedEvents();
    expect(events.length - before).toBe(4);
    expect(events.map((event) => event.data?.operation).sort()).toEqual(
      expect.arrayContaining([
        'DELETE /agents/:agent_id',
        'HEAD /heartbeat/:agent_id',
        'POST /heartbeat',
      ]),
    );
  });

  it("refuses an impostor holding another agent's credential, and records who it was", async () => {
    const before = (await refusedEvents()).length;
    // Under its own name, over the victim's id; and under the victim's name.
    expectRefused(
      await as(impostor).heartbeat({ ...victimBody, name: 'impostor', http_port: 9 }),
      403,
      'not_permitted',
    );
    expectRefused(
      await as(impostor).heartbeat({ ...victimBody, http_port: 9 }),
      403,
      'not_permitted',
    );
    expectRefused(await as(impostor).head(victim), 403, 'not_permitted');
    expectRefused(await as(impostor).remove(victim), 403, 'not_permitted');
    await victimUnchanged();
    const events = (await refusedEvents()).slice(0, (await refusedEvents()).length - before);
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event.data).toMatchObject({ reason: 'not_permitted', holder: 'impostor' });
    }
    // Its own agent it may register.
    const own = agentBody(unique('impostor'), [tool('t', 'c')], { name: 'impostor' });
    expect((await as(impostor).heartbeat(own)).status).toBe(200);
  });

  it('refuses expired credentials and credentials of another mesh', async () => {
    const expired = await mesh.mint({ agents: ['weather-agent'] }, { ttlSeconds: -60 });
    expectRefused(await as(expired.credential).heartbeat(victimBody), 401, 'expired');
    const stranger = await (await testMesh()).mint({ agents: ['weather-agent'] });
    expectRefused(await as(stranger.credential).heartbeat(victimBody), 401, 'invalid_credential');
    await victimUnchanged();
  });

  it('keeps the proxy and the protected events for admins', async () => {
    const proxied = await client.call('POST', `/proxy/${victim}/mcp`, {
      json: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      headers: bearer(owner),
    });
    expectRefused(proxied, 403, 'not_permitted');
    expectRefused(await as(undefined).events(), 401, 'missing_credential');
    expectRefused(await as(owner).events(), 403, 'not_permitted');
    // Reads of the topology stay open.
    expect((await client.get('/agents')).status).toBe(200);
  });

  it('lets an admin delete any agent', async () => {
    const removed = await as(admin).remove(victim);
    expect(removed.status).toBe(204);
    expect((await client.agents()).some((agent) => agent.id === victim)).toBe(false);
  });
});
