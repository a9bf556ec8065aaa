// The registry's wire protocol against a real registry process, on SQLite and PostgreSQL:
// shapes and status codes of POST/HEAD /heartbeat, /agents, DELETE, /events and the service
// endpoints.
import { expect, it } from 'vitest';
import {
  agentBody,
  dependency,
  type EventInfo,
  errorBody,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describeEachBackend('registry protocol', (backend) => {
  const fixture = useRegistry(backend);

  it('serves GET /, GET|HEAD /health, /openapi.json and /metrics', async () => {
    const { client } = fixture;
    const root = await client.get('/');
    expect(root.status).toBe(200);
    expect(root.json).toMatchObject({
      service: 'mcp-mesh-registry',
      version: expect.any(String),
      status: 'healthy',
    });
    expect((root.json as { endpoints: string[] }).endpoints).toEqual(
      expect.arrayContaining([
        '/heartbeat',
        '/heartbeat/{agent_id}',
        '/agents',
        '/events',
        '/health',
      ]),
    );

    const health = await client.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(health.json).toEqual({
      status: 'healthy',
      version: expect.any(String),
      uptime_seconds: expect.any(Number),
      timestamp: expect.stringMatching(isoTimestamp),
      service: 'mcp-mesh-registry',
    });
    const headHealth = await client.call('HEAD', '/health');
    expect(headHealth.status).toBe(200);
    expect(headHealth.text).toBe('');

    const openapi = await client.get('/openapi.json');
    expect(openapi.status).toBe(200);
    const document = openapi.json as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/heartbeat', '/heartbeat/{agent_id}', '/agents', '/watch']),
    );

    const id = unique('metered');
    const capability = unique('metric-cap');
    await client.register(agentBody(id, [tool('m', capability)]));
    // One position resolved to it and one left unresolved: each a change the counter counts.
    await client.register(
      agentBody(unique('metering'), [
        tool('uses', unique('uses'), {
          dependencies: [dependency(capability), dependency(unique('nobody-provides'))],
        }),
      ]),
    );
    const metrics = await client.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('# TYPE mesh_registry_agents gauge');
    const healthy = metrics.text.match(/^mesh_registry_agents\{status="healthy"\} (\d+)$/m);
    expect(Number(healthy?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics.text).toMatch(/^mesh_registry_heartbeats_total\{kind="full"\} \d+$/m);
    for (const outcome of ['resolved', 'unresolved']) {
      const changes = new RegExp(
        `^mesh_registry_dependency_resolutions_total\\{outcome="${outcome}"\\} (\\d+)$`,
        'm',
      ).exec(metrics.text);
      expect(Number(changes?.[1]), outcome).toBeGreaterThanOrEqual(1);
    }
  });

  it('POST /heartbeat registers and answers one resolution per tool and dependency position', async () => {
    const { client } = fixture;
    const date = unique('date');
    const weather = unique('weather');
    const providerId = unique('clock');
    const provider = agentBody(providerId, [
      tool('get_date', date, { version: '1.2.0', tags: ['system'], kwargs: { timeout: 5 } }),
    ]);
    const registered = await client.register(provider);
    expect(registered).toEqual({
      status: 'success',
      timestamp: expect.stringMatching(isoTimestamp),
      message: 'Agent registered',
      agent_id: providerId,
      dependencies_resolved: {},
      revision: expect.any(Number),
    });

    const consumerId = unique('planner');
    const answer = await client.register(
      agentBody(consumerId, [
        tool('plan', unique('plan'), {
          dependencies: [dependency(date, { tags: ['system'] }), dependency(weather)],
        }),
        tool('alone', unique('alone')),
        tool('twice', unique('twice'), {
          dependencies: [dependency(date), dependency(date, { tags: ['missing-tag'] })],
        }),
      ]),
    );
    expect(answer.status).toBe('success');
    expect(answer.revision).toBeGreaterThan(registered.revision);
    expect(Object.keys(answer.dependencies_resolved).sort()).toEqual(['plan', 'twice']);
    const endpoint = `http://127.0.0.1:${provider.http_port}`;
    const best = {
      agent_id: providerId,
      function_name: 'get_date',
      endpoint,
      capability: date,
      version: '1.2.0',
      tags: ['system'],
      kwargs: { timeout: 5 },
      score: 0,
    };
    expect(answer.dependencies_resolved.plan).toEqual([
      {
        agent_id: providerId,
        function_name: 'get_date',
        endpoint,
        capability: date,
        status: 'available',
        kwargs: { timeout: 5 },
        candidates: [best],
      },
      {
        agent_id: '',
        function_name: '',
        endpoint: '',
        capability: weather,
        status: 'unresolved',
        candidates: [],
      },
    ]);
    expect(answer.dependencies_resolved.twice?.map((position) => position.status)).toEqual([
      'available',
      'unresolved',
    ]);

    // The same body again is a plain heartbeat; a changed one is an update.
    const again = await client.heartbeat(provider);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ message: 'Heartbeat received', agent_id: providerId });
    const updated = await client.register({ ...provider, version: '2.0.0' });
    expect(updated.message).toBe('Agent updated');
  });

  it('uses the address the request came from when http_host is a wildcard', async () => {
    const { client } = fixture;
    const id = unique('wildcard');
    await client.register(
      agentBody(id, [tool('w', unique('w'))], { http_host: '0.0.0.0', http_port: 9123 }),
    );
    expect((await client.agent(id))?.endpoint).toBe('http://127.0.0.1:9123');
    const named = unique('named');
    await client.register(
      agentBody(named, [tool('n', unique('n'))], { http_host: 'localhost', http_port: 9124 }),
    );
    expect((await client.agent(named))?.endpoint).toBe('http://localhost:9124');
  });

  it('HEAD /heartbeat answers 200, then 202 when a provider appears or goes, and 200 after a POST', async () => {
    const { client } = fixture;
    const capability = unique('dep');
    const consumerId = unique('consumer');
    const consumer = agentBody(consumerId, [
      tool('use', unique('use'), { dependencies: [dependency(capability)] }),
    ]);
    await client.register(consumer);
    const first = await client.headAnswer(consumerId);
    expect(first.status).toBe(200);
    expect(first.text).toBe('');
    expect(Number(first.headers.get('x-mesh-revision'))).toBeGreaterThan(0);

    // An unrelated registration changes nothing for this consumer.
    await client.register(agentBody(unique('bystander'), [tool('b', unique('other'))]));
    expect(await client.head(consumerId)).toBe(200);

    const providerId = unique('provider');
    await client.register(agentBody(providerId, [tool('serve', capability)]));
    expect(await client.head(consumerId)).toBe(202);
    expect(await client.head(consumerId)).toBe(202); // until the consumer fetches it
    const rewired = await client.register(consumer);
    expect(rewired.dependencies_resolved.use?.[0]).toMatchObject({
      status: 'available',
      agent_id: providerId,
    });
    expect(await client.head(consumerId)).toBe(200);

    const removed = await client.unregister(providerId);
    expect(removed.status).toBe(204);
    expect(await client.head(consumerId)).toBe(202);
    const unresolved = await client.register(consumer);
    expect(unresolved.dependencies_resolved.use?.[0]?.status).toBe('unresolved');
    expect(await client.head(consumerId)).toBe(200);
  });

  it('HEAD /heartbeat answers 410 for an unknown or malformed agent id', async () => {
    const { client } = fixture;
    const unknown = await client.headAnswer(unique('never-registered'));
    expect(unknown.status).toBe(410);
    expect(unknown.text).toBe('');
    expect(await client.head('-not a valid id-')).toBe(410);
  });

  it('GET /agents lists agents with their shape and filters by status, capability, tags and namespace', async () => {
    const { client } = fixture;
    const namespace = unique('ns');
    const alpha = unique('alpha');
    const beta = unique('beta');
    const gamma = unique('gamma');
    const a1 = `a1-${namespace}`;
    const a2 = `a2-${namespace}`;
    const a3 = `a3-${namespace}`;
    await client.register(
      agentBody(
        a1,
        [
          tool('alpha_tool', alpha, { tags: ['x', 'y'], version: '1.1.0' }),
          tool('gamma_tool', gamma, { tags: ['z'] }),
        ],
        { namespace, version: '3.0.0' },
      ),
    );
    await client.register(agentBody(a2, [tool('beta_tool', beta, { tags: ['x'] })], { namespace }));
    await client.register(
      agentBody(a3, [tool('alpha_elsewhere', alpha, { tags: ['x', 'y'] })], {
        namespace: `${namespace}-other`,
      }),
    );

    const listed = await client.get('/agents', { namespace });
    expect(listed.status).toBe(200);
    const body = listed.json as { agents: { id: string }[]; count: number; timestamp: string };
    expect(body.count).toBe(2);
    expect(body.timestamp).toMatch(isoTimestamp);
    expect(body.agents.map((agent) => agent.id)).toEqual([a1, a2]);
    expect(body.agents[0]).toEqual({
      id: a1,
      name: a1,
      agent_type: 'mcp_agent',
      runtime: 'typescript',
      namespace,
      status: 'healthy',
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      version: '3.0.0',
      capabilities: [
        {
          name: alpha,
          version: '1.1.0',
          function_name: 'alpha_tool',
          tags: ['x', 'y'],
          available: true,
        },
        {
          name: gamma,
          version: '1.0.0',
          function_name: 'gamma_tool',
          tags: ['z'],
          available: true,
        },
      ],
      total_dependencies: 0,
      dependencies_resolved: 0,
      dependency_resolutions: [],
      created_at: expect.stringMatching(isoTimestamp),
      last_seen: expect.stringMatching(isoTimestamp),
    });

    const ids = async (query: Record<string, string | string[]>) =>
      (await client.agents(query)).map((agent) => agent.id);
    expect(await ids({ capability: alpha })).toEqual([a1, a3]);
    expect(await ids({ capability: alpha, namespace })).toEqual([a1]);
    expect(await ids({ tags: 'x', namespace })).toEqual([a1, a2]);
    expect(await ids({ tags: 'x,y', namespace })).toEqual([a1]);
    expect(await ids({ tags: ['x', 'y'], namespace })).toEqual([a1]);
    expect(await ids({ status: 'healthy', namespace })).toEqual([a1, a2]);
    expect(await ids({ status: 'unhealthy', namespace })).toEqual([]);
    expect(await ids({ capability: beta, tags: 'x' })).toEqual([a2]);
    // capability and tags together: one tool must satisfy both (a1's alpha tool lacks z).
    expect(await ids({ capability: alpha, tags: 'z', namespace })).toEqual([]);
    expect(await ids({ capability: gamma, tags: 'z', namespace })).toEqual([a1]);
  });

  it('DELETE /agents/{id} answers 204 twice, removes the agent at once and wakes its dependents', async () => {
    const { client } = fixture;
    const capability = unique('leaving');
    const providerId = unique('leaver');
    const consumerId = unique('stayer');
    await client.register(agentBody(providerId, [tool('leave', capability)]));
    const consumer = agentBody(consumerId, [
      tool('stay', unique('stay'), { dependencies: [dependency(capability)] }),
    ]);
    expect((await client.register(consumer)).dependencies_resolved.stay?.[0]?.status).toBe(
      'available',
    );
    expect(await client.head(consumerId)).toBe(200);

    const first = await client.unregister(providerId);
    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    expect(first.headers.get('x-mesh-agent-existed')).toBe('true');
    expect(await client.agent(providerId)).toBeUndefined();
    expect(await client.head(providerId)).toBe(410);
    expect(await client.head(consumerId)).toBe(202);

    const second = await client.unregister(providerId);
    expect(second.status).toBe(204);
    expect(second.headers.get('x-mesh-agent-existed')).toBe('false');
    const never = await client.unregister(unique('never-was'));
    expect(never.status).toBe(204);
    expect(never.headers.get('x-mesh-agent-existed')).toBe('false');

    const unregistered = await waitFor('the unregister event', async () => {
      const events = await client.events({ agent_id: providerId, type: 'unregister' });
      return events.length > 0 && events;
    });
    expect(unregistered).toHaveLength(1);
    expect(unregistered[0]).toMatchObject({ event_type: 'unregister', agent_id: providerId });
  });

  it('GET /events records lifecycle and resolution changes with reasons, newest first, filtered', async () => {
    const { client } = fixture;
    const capability = unique('gpu-compute');
    const consumerId = unique('trainer');
    const cpuId = unique('cpu-box');
    const gpuId = unique('gpu-box');
    await client.register(agentBody(cpuId, [tool('compute', capability, { tags: ['cpu'] })]));
    const consumer = agentBody(consumerId, [
      tool('train', unique('train'), { dependencies: [dependency(capability, { tags: ['gpu'] })] }),
    ]);
    await client.register(consumer);
    await client.register(agentBody(gpuId, [tool('compute', capability, { tags: ['gpu'] })]));
    await client.register(consumer);
    await client.unregister(gpuId);
    await client.register(consumer);

    const events = await waitFor('four events about the consumer', async () => {
      const found = await client.events({ agent_id: consumerId });
      return found.length >= 4 && found;
    });
    // Newest first, ids strictly decreasing.
    const ids = events.map((event) => event.event_id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(events.map((event) => event.event_type)).toEqual([
      'dependency_unresolved',
      'dependency_resolved',
      'dependency_unresolved',
      'register',
    ]);
    for (const event of events) expect(event.timestamp).toMatch(isoTimestamp);

    const unresolved = (await client.events({
      agent_id: consumerId,
      type: 'dependency_unresolved',
    })) as EventInfo[];
    expect(unresolved).toHaveLength(2);
    const firstUnresolved = unresolved[1]!;
    expect(firstUnresolved).toMatchObject({
      event_type: 'dependency_unresolved',
      agent_id: consumerId,
      agent_name: consumerId,
      function_name: 'train',
      data: {
        position: 0,
        capability,
        tags: ['gpu'],
        provider: '',
        candidates: [],
      },
    });
    expect(firstUnresolved.data.chosen).toBeUndefined();
    expect(firstUnresolved.data.rejected).toEqual([
      { agentId: cpuId, functionName: 'compute', reason: 'lacks required tag gpu' },
    ]);

    const resolved = await client.events({ agent_id: consumerId, type: 'dependency_resolved' });
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.data).toMatchObject({
      provider: `${gpuId}.compute`,
      chosen: { agent_id: gpuId, function_name: 'compute' },
      candidates: [{ provider: `${gpuId}.compute`, version: '1.0.0', score: 0 }],
    });

    const byFunction = await client.events({ function_name: 'train', agent_id: consumerId });
    expect(byFunction.map((event) => event.event_type)).toEqual([
      'dependency_unresolved',
      'dependency_resolved',
      'dependency_unresolved',
    ]);
    const newest = await client.events({ agent_id: consumerId, limit: 1 });
    expect(newest).toEqual([events[0]]);

    const registered = await client.events({ agent_id: gpuId, type: 'register' });
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({
      agent_id: gpuId,
      agent_name: gpuId,
      data: { endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), tools: 1 },
    });
    await waitFor(
      'the unregister event',
      async () => (await client.events({ agent_id: gpuId, type: 'unregister' })).length === 1,
    );
    // Kept in the vocabulary of the original registry; never recorded here.
    expect(await client.events({ type: 'heartbeat' })).toEqual([]);
    const bad = await client.get('/events', { type: 'bogus' });
    expect(bad.status).toBe(400);
    expect(errorBody(bad).field).toBe('type');
  });
});
