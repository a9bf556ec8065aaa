// Every dependency-resolution rule over HTTP against a real registry process, on SQLite and
// PostgreSQL: tags (required, +preferred, -excluded, alternatives), semver ranges, ranking,
// same-agent preference, transitive unavailability and required cycles.
import { expect, it } from 'vitest';
import {
  agentBody,
  candidateIds,
  dependency,
  errorBody,
  resolveOne,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

describeEachBackend('dependency resolution', (backend) => {
  const fixture = useRegistry(backend);

  it('a plain tag is required; an array of tags means any one of them', async () => {
    const { client } = fixture;
    const capability = unique('compute');
    const gpu = unique('gpu');
    const cpu = unique('cpu');
    const tpu = unique('tpu');
    await client.register(agentBody(gpu, [tool('run', capability, { tags: ['gpu', 'fast'] })]));
    await client.register(agentBody(cpu, [tool('run', capability, { tags: ['cpu'] })]));
    await client.register(agentBody(tpu, [tool('run', capability, { tags: ['tpu'] })]));

    const required = await resolveOne(client, dependency(capability, { tags: ['gpu'] }));
    expect(required).toMatchObject({ status: 'available', agent_id: gpu, function_name: 'run' });
    expect(candidateIds(required)).toEqual([gpu]);

    const both = await resolveOne(client, dependency(capability, { tags: ['gpu', 'fast'] }));
    expect(candidateIds(both)).toEqual([gpu]);

    const either = await resolveOne(client, dependency(capability, { tags: [['gpu', 'tpu']] }));
    expect(candidateIds(either).sort()).toEqual([gpu, tpu].sort());

    const nobody = await resolveOne(client, dependency(capability, { tags: ['quantum'] }));
    expect(nobody).toEqual({
      agent_id: '',
      function_name: '',
      endpoint: '',
      capability,
      status: 'unresolved',
      candidates: [],
    });
  });

  it('a +preferred tag ranks its carriers first, above a higher version', async () => {
    const { client } = fixture;
    const capability = unique('storage');
    const plain = unique('plain');
    const fast = unique('fast');
    await client.register(agentBody(plain, [tool('store', capability, { version: '2.0.0' })]));
    await client.register(
      agentBody(fast, [tool('store', capability, { version: '1.0.0', tags: ['ssd'] })]),
    );
    const position = await resolveOne(client, dependency(capability, { tags: ['+ssd'] }));
    expect(position.agent_id).toBe(fast);
    expect(position.candidates.map(({ agent_id, score }) => [agent_id, score])).toEqual([
      [fast, 1],
      [plain, 0],
    ]);
  });

  it('a -excluded tag rejects its carriers, and the event says why', async () => {
    const { client } = fixture;
    const capability = unique('legacy');
    const old = unique('old');
    const current = unique('current');
    await client.register(agentBody(old, [tool('serve', capability, { tags: ['deprecated'] })]));
    await client.register(agentBody(current, [tool('serve', capability, { tags: ['stable'] })]));
    const consumerId = unique('careful');
    const position = await resolveOne(
      client,
      dependency(capability, { tags: ['-deprecated'] }),
      consumerId,
    );
    expect(candidateIds(position)).toEqual([current]);

    const [resolved] = await waitFor('the dependency_resolved event', async () => {
      const events = await client.events({ agent_id: consumerId, type: 'dependency_resolved' });
      return events.length > 0 && events;
    });
    expect(resolved?.data.rejected).toEqual([
      { agentId: old, functionName: 'serve', reason: 'has excluded tag deprecated' },
    ]);

    const nothingLeft = await resolveOne(
      client,
      dependency(capability, { tags: ['-deprecated', '-stable'] }),
    );
    expect(nothingLeft.status).toBe('unresolved');
  });

  it('a semver range keeps only the versions it allows, highest first', async () => {
    const { client } = fixture;
    const capability = unique('math');
    const v1 = unique('v1');
    const v2 = unique('v2');
    const v3 = unique('v3');
    await client.register(agentBody(v1, [tool('add', capability, { version: '1.5.0' })]));
    await client.register(agentBody(v2, [tool('add', capability, { version: '2.1.0' })]));
    await client.register(agentBody(v3, [tool('add', capability, { version: '3.0.0' })]));

    expect(
      candidateIds(await resolveOne(client, dependency(capability, { version: '>=2.0.0 <3' }))),
    ).toEqual([v2]);
    expect(
      candidateIds(await resolveOne(client, dependency(capability, { version: '^1.2' }))),
    ).toEqual([v1]);
    const all = await resolveOne(client, dependency(capability, { version: '>=1' }));
    expect(all.candidates.map((candidate) => [candidate.agent_id, candidate.version])).toEqual([
      [v3, '3.0.0'],
      [v2, '2.1.0'],
      [v1, '1.5.0'],
    ]);
    expect(candidateIds(await resolveOne(client, dependency(capability)))).toEqual([v3, v2, v1]);
    expect((await resolveOne(client, dependency(capability, { version: '>=4' }))).status).toBe(
      'unresolved',
    );
  });

  it('a prerelease provider satisfies only a range that names its prerelease (npm rules)', async () => {
    const { client } = fixture;
    const capability = unique('beta');
    const stable = unique('stable');
    const beta = unique('beta');
    await client.register(agentBody(stable, [tool('work', capability, { version: '1.4.2' })]));
    await client.register(agentBody(beta, [tool('work', capability, { version: '1.5.0-beta.1' })]));

    const plain = await resolveOne(client, dependency(capability, { version: '^1.4' }));
    expect(plain).toMatchObject({ status: 'available', agent_id: stable });
    expect(candidateIds(plain)).toEqual([stable]);
    expect(candidateIds(await resolveOne(client, dependency(capability)))).toEqual([stable]);
    expect(
      candidateIds(await resolveOne(client, dependency(capability, { version: '>=1.5.0-0' }))),
    ).toEqual([beta]);
  });

  it("accepts the predecessor's range syntax: commas join conditions, != excludes a version", async () => {
    const { client } = fixture;
    const capability = unique('legacy-range');
    const ids = new Map<string, string>();
    for (const version of ['1.0.0', '1.2.0', '1.5.0', '2.0.0']) {
      const id = unique(`v${version}`);
      ids.set(version, id);
      await client.register(agentBody(id, [tool('work', capability, { version })]));
    }
    const versionsFor = async (range: string) =>
      (await resolveOne(client, dependency(capability, { version: range }))).candidates.map(
        (candidate) => candidate.version,
      );
    expect(await versionsFor('>=1.0.0,<2.0.0')).toEqual(['1.5.0', '1.2.0', '1.0.0']);
    expect(await versionsFor('!=1.2.0')).toEqual(['2.0.0', '1.5.0', '1.0.0']);
    expect(await versionsFor('>=1.0.0, !=1.2.0, <2.0.0')).toEqual(['1.5.0', '1.0.0']);
  });

  it('a dependency given as a list of alternatives resolves to the first that has providers', async () => {
    const { client } = fixture;
    const pro = unique('geo-pro');
    const basic = unique('geo-basic');
    const oldPro = unique('old-pro');
    const basicProvider = unique('basic');
    await client.register(agentBody(oldPro, [tool('locate', pro, { version: '1.0.0' })]));
    await client.register(agentBody(basicProvider, [tool('lookup', basic)]));
    const consumerId = unique('mapper');
    const consumer = agentBody(consumerId, [
      tool('map', unique('map'), {
        dependencies: [[dependency(pro, { version: '>=2' }), dependency(basic)]],
      }),
    ]);

    const fallback = (await client.register(consumer)).dependencies_resolved.map?.[0];
    expect(fallback).toMatchObject({
      status: 'available',
      agent_id: basicProvider,
      function_name: 'lookup',
      capability: basic,
      alternative: 1,
    });

    const newPro = unique('new-pro');
    await client.register(agentBody(newPro, [tool('locate', pro, { version: '2.1.0' })]));
    const preferred = (await client.register(consumer)).dependencies_resolved.map?.[0];
    expect(preferred).toMatchObject({ agent_id: newPro, capability: pro, alternative: 0 });
    expect(candidateIds(preferred!)).toEqual([newPro]);

    const explained = await client.call('GET', `/agents/${consumerId}/dependencies`);
    expect(explained.json).toMatchObject({
      dependencies: [
        {
          function_name: 'map',
          position: 0,
          capability: pro,
          alternative: 0,
          alternatives: [
            { capability: pro, version: '>=2', tags: [] },
            { capability: basic, version: '*', tags: [] },
          ],
          status: 'available',
        },
      ],
    });

    await client.call('DELETE', `/agents/${newPro}`);
    await client.call('DELETE', `/agents/${basicProvider}`);
    const nothing = (await client.register(consumer)).dependencies_resolved.map?.[0];
    expect(nothing).toEqual({
      agent_id: '',
      function_name: '',
      endpoint: '',
      capability: pro,
      status: 'unresolved',
      candidates: [],
    });
  });

  it('ranks by score, then version, then agent id', async () => {
    const { client } = fixture;
    const capability = unique('ranked');
    const prefix = unique('r');
    const providers: [string, string, string[]][] = [
      [`${prefix}-a2`, '2.0.0', []],
      [`${prefix}-d`, '1.0.0', ['fast', 'eu']],
      [`${prefix}-b`, '1.0.0', ['eu']],
      [`${prefix}-a1`, '2.0.0', []],
      [`${prefix}-c`, '3.0.0', ['fast']],
      [`${prefix}-e`, '2.5.0', []],
    ];
    for (const [id, version, tags] of providers) {
      await client.register(agentBody(id, [tool('work', capability, { version, tags })]));
    }
    const position = await resolveOne(client, dependency(capability, { tags: ['+fast', '+eu'] }));
    expect(
      position.candidates.map(({ agent_id, score, version }) => [agent_id, score, version]),
    ).toEqual([
      [`${prefix}-d`, 2, '1.0.0'],
      [`${prefix}-c`, 1, '3.0.0'],
      [`${prefix}-b`, 1, '1.0.0'],
      [`${prefix}-e`, 0, '2.5.0'],
      [`${prefix}-a1`, 0, '2.0.0'],
      [`${prefix}-a2`, 0, '2.0.0'],
    ]);
    expect(position.agent_id).toBe(`${prefix}-d`);
  });

  it("ranks the consumer's own tool first, whatever its score or version", async () => {
    const { client } = fixture;
    const capability = unique('local');
    const remote = unique('remote');
    await client.register(
      agentBody(remote, [tool('helper', capability, { version: '9.0.0', tags: ['fast'] })]),
    );
    const selfId = unique('self');
    const answer = await client.register(
      agentBody(selfId, [
        tool('main', unique('main'), {
          dependencies: [dependency(capability, { tags: ['+fast'] })],
        }),
        tool('helper_here', capability, { version: '0.1.0' }),
      ]),
    );
    const position = answer.dependencies_resolved.main?.[0];
    expect(position).toMatchObject({
      status: 'available',
      agent_id: selfId,
      function_name: 'helper_here',
    });
    expect(position?.candidates.map(({ agent_id, score }) => [agent_id, score])).toEqual([
      [selfId, 0],
      [remote, 1],
    ]);
  });

  it('an unresolved required dependency makes the tool unavailable, transitively', async () => {
    const { client } = fixture;
    const capA = unique('cap-a');
    const capB = unique('cap-b');
    const capC = unique('cap-c');
    const a = unique('agent-a');
    const b = unique('agent-b');
    const c = unique('agent-c');
    const d = unique('agent-d');
    const e = unique('agent-e');
    await client.register(
      agentBody(b, [tool('tb', capB, { dependencies: [dependency(capC, { required: true })] })]),
    );
    await client.register(
      agentBody(a, [tool('ta', capA, { dependencies: [dependency(capB, { required: true })] })]),
    );
    // An optional dependency that does not resolve leaves the tool available.
    await client.register(
      agentBody(e, [
        tool('te', unique('cap-e'), { dependencies: [dependency(unique('nowhere'))] }),
      ]),
    );
    const consumer = agentBody(d, [
      tool('td', unique('cap-d'), { dependencies: [dependency(capA)] }),
    ]);
    expect((await client.register(consumer)).dependencies_resolved.td?.[0]?.status).toBe(
      'unresolved',
    );

    const availability = async () => {
      const agents = await client.agents();
      const of = (id: string) => agents.find((agent) => agent.id === id)?.capabilities[0];
      return { a: of(a), b: of(b), e: of(e) };
    };
    const before = await availability();
    expect(before.b).toMatchObject({ available: false, unavailable_reason: expect.any(String) });
    expect(before.a).toMatchObject({ available: false, unavailable_reason: expect.any(String) });
    expect(before.e?.available).toBe(true);
    const agentA = await client.agent(a);
    expect(agentA?.dependency_resolutions).toEqual([
      expect.objectContaining({ capability: capB, status: 'unresolved', provider_agent_id: null }),
    ]);
    expect(agentA).toMatchObject({ total_dependencies: 1, dependencies_resolved: 0 });

    // The missing provider arrives: the whole chain becomes available.
    await client.register(agentBody(c, [tool('tc', capC)]));
    expect(await client.head(d)).toBe(202);
    const resolved = await client.register(consumer);
    expect(resolved.dependencies_resolved.td?.[0]).toMatchObject({
      status: 'available',
      agent_id: a,
    });
    const after = await availability();
    expect(after.a?.available).toBe(true);
    expect(after.b?.available).toBe(true);
    expect(after.a).not.toHaveProperty('unavailable_reason');
    expect(await client.agent(a)).toMatchObject({ dependencies_resolved: 1 });

    // ...and loses it again when the bottom of the chain leaves.
    expect((await client.unregister(c)).status).toBe(204);
    expect(await client.head(d)).toBe(202);
    expect((await client.register(consumer)).dependencies_resolved.td?.[0]?.status).toBe(
      'unresolved',
    );
    expect((await availability()).a?.available).toBe(false);
  });

  it('rejects a registration that closes a cycle of required dependencies with 409 and stores nothing', async () => {
    const { client } = fixture;
    const capA = unique('cyc-a');
    const capB = unique('cyc-b');
    const a = unique('cyc-agent-a');
    const b = unique('cyc-agent-b');
    await client.register(
      agentBody(a, [tool('ta', capA, { dependencies: [dependency(capB, { required: true })] })]),
    );
    const eventCount = async () => (await client.events({ limit: 1000 })).length;
    // Let the events of the registration above land before counting.
    await waitFor(
      'the registration events of a',
      async () => (await client.events({ agent_id: a })).length >= 2,
    );
    const agentsBefore = (await client.agents()).length;
    const eventsBefore = await eventCount();

    const closing = agentBody(b, [
      tool('tb', capB, { dependencies: [dependency(capA, { required: true })] }),
    ]);
    const rejected = await client.heartbeat(closing);
    expect(rejected.status).toBe(409);
    const body = errorBody(rejected);
    expect(body).toMatchObject({ error: 'conflict', timestamp: expect.any(String) });
    expect(body.message).toContain('cycle');
    expect(body.message).toContain(`${a}.ta`);
    expect(body.message).toContain(`${b}.tb`);
    const cycle = body.details?.cycle as string[];
    expect(cycle[0]).toBe(cycle.at(-1));
    expect(new Set(cycle)).toEqual(new Set([`${a}.ta`, `${b}.tb`]));

    expect(await client.agent(b)).toBeUndefined();
    expect(await client.agents({ capability: capB })).toEqual([]);
    expect(await client.head(b)).toBe(410);
    expect((await client.agents()).length).toBe(agentsBefore);
    expect(await eventCount()).toBe(eventsBefore);
    expect(await client.events({ agent_id: b })).toEqual([]);

    // The same edge as an optional dependency is fine.
    const optional = agentBody(b, [
      tool('tb', capB, { dependencies: [dependency(capA, { required: false })] }),
    ]);
    expect((await client.heartbeat(optional)).status).toBe(200);
  });
});
