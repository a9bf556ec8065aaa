// What the predecessor's agents and tools send or read, against a real registry process on
// SQLite and PostgreSQL: versions and ranges it accepts (registered, left unresolved with the
// reason), tag operators inside OR groups, one namespace rule in both spellings, and resolution
// events that its `meshctl audit` decodes (consumer, dep_index, spec, stages, chosen object).
import { expect, it } from 'vitest';
import {
  agentBody,
  candidateIds,
  dependency,
  type EventInfo,
  type RegistryClient,
  resolveOne,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

async function newestEvent(client: RegistryClient, consumerId: string): Promise<EventInfo> {
  const [event] = await waitFor('a resolution event', async () => {
    const events = await client.events({ agent_id: consumerId, function_name: 'consume' });
    return events.length > 0 && events;
  });
  return event as EventInfo;
}

describeEachBackend('interoperability with the predecessor', (backend) => {
  const fixture = useRegistry(backend);

  it('registers an agent with an unparseable range and leaves that dependency unresolved, saying why', async () => {
    const { client } = fixture;
    const capability = unique('fruit');
    await client.register(agentBody(unique('grocer'), [tool('sell', capability)]));
    const consumerId = unique('hungry');
    const answer = await client.register(
      agentBody(consumerId, [
        tool('consume', unique('consume'), {
          dependencies: [dependency(capability, { version: 'banana' }), dependency(capability)],
        }),
      ]),
    );
    const [bad, good] = answer.dependencies_resolved.consume ?? [];
    expect(bad?.status).toBe('unresolved');
    expect(good?.status).toBe('available');
    const unresolved = await waitFor('the dependency_unresolved event', async () => {
      const events = await client.events({
        agent_id: consumerId,
        type: 'dependency_unresolved',
      });
      return events[0];
    });
    expect(unresolved.data).toMatchObject({ position: 0, dep_index: 0, version: 'banana' });
    expect(String(unresolved.data.reason)).toMatch(/"banana" is not a semver range/);
  });

  it('coerces a tool version 1.0 to 1.0.0 and registers a non-semver one that no range selects', async () => {
    const { client } = fixture;
    const capability = unique('clock');
    const short = unique('short');
    const named = unique('named');
    await client.register(agentBody(short, [tool('tick', capability, { version: '1.0' })]));
    await client.register(agentBody(named, [tool('tick', capability, { version: 'one' })]));
    const agents = await client.agents();
    const version = (id: string) =>
      agents.find((agent) => agent.id === id)?.capabilities[0]?.version;
    expect(version(short)).toBe('1.0.0');
    expect(version(named)).toBe('one');
    const position = await resolveOne(client, dependency(capability, { version: '>=1.0.0' }));
    expect(candidateIds(position)).toEqual([short]);
  });

  it('reads +tag inside an OR group as a preferred alternative and -tag as an exclusion', async () => {
    const { client } = fixture;
    const capability = unique('runtime');
    const python = unique('py');
    const typescript = unique('ts');
    const beta = unique('java-beta');
    const java = unique('java');
    await client.register(agentBody(python, [tool('run', capability, { tags: ['python'] })]));
    await client.register(
      agentBody(typescript, [tool('run', capability, { tags: ['typescript'] })]),
    );
    await client.register(agentBody(beta, [tool('run', capability, { tags: ['java', 'beta'] })]));
    await client.register(agentBody(java, [tool('run', capability, { tags: ['java'] })]));

    const preferred = await resolveOne(
      client,
      dependency(capability, { tags: [['+python', 'typescript']] }),
    );
    expect(candidateIds(preferred)).toEqual([python, typescript]);
    expect(preferred.candidates.map(({ score }) => score)).toEqual([1, 0]);

    const excluded = await resolveOne(
      client,
      dependency(capability, { tags: [['java', '-beta']] }),
    );
    expect(candidateIds(excluded)).toEqual([java]);
  });

  it('resolves a dependency without a namespace and one naming default alike: within default', async () => {
    const { client } = fixture;
    const capability = unique('ledger');
    const unset = unique('unset');
    const named = unique('named-default');
    const other = unique('prod');
    await client.register(agentBody(unset, [tool('book', capability)]));
    await client.register(agentBody(named, [tool('book', capability)], { namespace: 'default' }));
    await client.register(agentBody(other, [tool('book', capability)], { namespace: 'prod' }));
    const expected = [unset, named].sort();
    expect(candidateIds(await resolveOne(client, dependency(capability))).sort()).toEqual(expected);
    expect(
      candidateIds(
        await resolveOne(client, dependency(capability, { namespace: 'default' })),
      ).sort(),
    ).toEqual(expected);
    expect(
      candidateIds(await resolveOne(client, dependency(capability, { namespace: 'prod' }))),
    ).toEqual([other]);
  });

  it("records resolution events in a shape the predecessor's meshctl audit decodes, and ours", async () => {
    const { client } = fixture;
    const capability = unique('weather');
    const fast = unique('fast');
    const slow = unique('slow');
    await client.register(agentBody(fast, [tool('forecast', capability, { tags: ['fast'] })]));
    await client.register(agentBody(slow, [tool('forecast', capability, { tags: ['slow'] })]));
    const consumerId = unique('planner');
    await resolveOne(client, dependency(capability, { tags: ['-slow'] }), consumerId);
    const event = await newestEvent(client, consumerId);
    expect(event.event_type).toBe('dependency_resolved');
    const agents = await client.agents();
    const endpoint = agents.find((agent) => agent.id === fast)?.endpoint;
    expect(event.data).toMatchObject({
      consumer: consumerId,
      dep_index: 0,
      spec: { capability, tags: ['-slow'], version_constraint: '*' },
      chosen: { agent_id: fast, function_name: 'forecast', endpoint },
      provider: `${fast}.forecast`,
    });
    expect(event.data.stages).toEqual([
      {
        stage: 'match',
        kept: [fast],
        evicted: [
          { id: slow, reason: 'has excluded tag slow', details: { function_name: 'forecast' } },
        ],
      },
      expect.objectContaining({ stage: 'tiebreaker', kept: [fast], chosen: fast }),
    ]);
  });
});
