// GET /watch against a real registry process, on SQLite and PostgreSQL: the SSE stream tells
// an agent within a second when its providers come or go and stays quiet otherwise; catching
// up by revision; the JSON long poll.
import { afterEach, expect, it } from 'vitest';
import { type EventStream, openEventStream, type SseFrame } from '../support/event-stream.js';
import {
  agentBody,
  dependency,
  errorBody,
  type RegistrationBody,
  type RegistryClient,
  tool,
  unique,
  withQuery,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

interface TopologyChange {
  revision: number;
  agent_ids: string[];
}

function change(frame: SseFrame | undefined): TopologyChange {
  expect(frame?.event).toBe('topology');
  const data = JSON.parse(frame?.data ?? 'null') as TopologyChange;
  expect(frame?.id).toBe(String(data.revision));
  return data;
}

/** A consumer of a fresh capability, registered; answers its id, capability and body. */
async function consumerOfNewCapability(client: RegistryClient) {
  const capability = unique('watched-cap');
  const id = unique('watcher');
  const body: RegistrationBody = agentBody(id, [
    tool('use', unique('use'), { dependencies: [dependency(capability)] }),
  ]);
  const answer = await client.register(body);
  return { id, capability, body, revision: answer.revision };
}

describeEachBackend('watch', (backend) => {
  const fixture = useRegistry(backend);
  const streams: EventStream[] = [];
  const open = async (query: Record<string, string>, headers: Record<string, string> = {}) => {
    const stream = await openEventStream(
      `${fixture.registry.url}${withQuery('/watch', query)}`,
      headers,
    );
    streams.push(stream);
    return stream;
  };
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  it('streams a topology event within a second when a provider registers or leaves, none for bystanders', async () => {
    const { client } = fixture;
    const consumer = await consumerOfNewCapability(client);
    const stream = await open({ agent_id: consumer.id });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(Number(stream.headers.get('x-mesh-revision'))).toBeGreaterThanOrEqual(consumer.revision);
    // Without a revision the stream starts with no event.
    expect(await stream.next(300)).toBeUndefined();
    expect(stream.comments[0]).toMatch(/^watching revision \d+$/);

    await client.register(agentBody(unique('bystander'), [tool('b', unique('unrelated'))]));
    expect(await stream.next(700)).toBeUndefined();

    const providerId = unique('provider');
    const registered = await client.register(
      agentBody(providerId, [tool('p', consumer.capability)]),
    );
    const sent = Date.now();
    const arrived = change(await stream.next(1_000));
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(arrived.agent_ids).toEqual([consumer.id]);
    expect(arrived.revision).toBeGreaterThanOrEqual(registered.revision);

    expect((await client.unregister(providerId)).status).toBe(204);
    const left = change(await stream.next(1_000));
    expect(left.agent_ids).toEqual([consumer.id]);
    expect(left.revision).toBeGreaterThan(arrived.revision);
    expect(await stream.next(300)).toBeUndefined();
  });

  it('a watcher of everything hears every change', async () => {
    const { client } = fixture;
    const stream = await open({});
    const answer = await client.register(agentBody(unique('anyone'), [tool('a', unique('any'))]));
    const heard = change(await stream.next(1_000));
    expect(heard).toEqual({ revision: answer.revision, agent_ids: [] });
  });

  it('catches a client up at once when its revision is not the current one', async () => {
    const { client } = fixture;
    const consumer = await consumerOfNewCapability(client);
    const current = await client.revision();
    expect(current).toBeGreaterThanOrEqual(consumer.revision);

    const behind = await open({ agent_id: consumer.id, revision: '0' });
    expect(change(await behind.next(1_000))).toEqual({
      revision: current,
      agent_ids: [consumer.id],
    });
    const byHeader = await open({ agent_id: consumer.id }, { 'last-event-id': '0' });
    expect(change(await byHeader.next(1_000)).revision).toBe(current);
    // The `revision` query wins over Last-Event-ID.
    const upToDate = await open(
      { agent_id: consumer.id, revision: String(current) },
      { 'last-event-id': '0' },
    );
    expect(await upToDate.next(300)).toBeUndefined();

    // A revision the registry never reached (its store was reset) also differs.
    const ahead = await open({ agent_id: consumer.id, revision: String(current + 1_000) });
    expect(change(await ahead.next(1_000)).revision).toBe(current);
    const poll = await client.get(
      '/watch',
      { agent_id: consumer.id, revision: current + 1_000, wait: 5 },
      { accept: 'application/json' },
    );
    expect(poll.json).toEqual({ revision: current, changed: true });
  });

  it('long-polls with Accept: application/json', async () => {
    const { client } = fixture;
    const consumer = await consumerOfNewCapability(client);
    const json = { accept: 'application/json' };

    const now = await client.get('/watch', { agent_id: consumer.id }, json);
    expect(now.status).toBe(200);
    expect(now.headers.get('content-type')).toMatch(/^application\/json/);
    const { revision } = now.json as { revision: number; changed: boolean };
    expect(now.json).toEqual({ revision, changed: false });

    expect(
      (await client.get('/watch', { agent_id: consumer.id, revision: revision - 1, wait: 5 }, json))
        .json,
    ).toEqual({ revision, changed: true });

    // Held open until a change that concerns the consumer.
    const started = Date.now();
    const held = client.get('/watch', { agent_id: consumer.id, revision, wait: 5 }, json);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.register(agentBody(unique('provider'), [tool('p', consumer.capability)]));
    const answer = await held;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer.json).toEqual({ revision: expect.any(Number), changed: true });
    expect((answer.json as { revision: number }).revision).toBeGreaterThan(revision);

    // A change that does not concern it lets the wait run out.
    const latest = await client.revision();
    const quiet = client.get('/watch', { agent_id: consumer.id, revision: latest, wait: 1 }, json);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.register(agentBody(unique('bystander'), [tool('b', unique('unrelated'))]));
    expect((await quiet).json).toEqual({ revision: expect.any(Number), changed: false });

    const tooLong = await client.get('/watch', { wait: 61 }, json);
    expect(tooLong.status).toBe(400);
    expect(errorBody(tooLong).field).toBe('wait');
  });
});
