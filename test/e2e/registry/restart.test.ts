// Registry restarts against real processes on one database, on SQLite and PostgreSQL:
// registrations and events survive (a graceful stop or a kill), live agents carry on without
// re-registering, agents silent past the threshold come back unhealthy, and SIGTERM does not
// wait for watchers to hang up.
import { it } from 'vitest';
import { openEventStream } from '../support/event-stream.js';
import {
  agentBody,
  dependency,
  RegistryClient,
  sleep,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useDatabase } from '../support/registry-fixture.js';

describeEachBackend('registry restart', (backend) => {
  // Each test has its own database and processes, so these two can run side by side.
  it.concurrent('keeps registrations when the registry is killed', { timeout: 60_000 }, async ({
    expect,
    onTestFinished,
  }) => {
    const db = await useDatabase(backend, onTestFinished);
    const first = await db.start();
    const before = new RegistryClient(first.url);
    const id = unique('survivor');
    await before.register(agentBody(id, [tool('t', unique('t'), { tags: ['kept'] })]));
    expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await db.start();
    const after = new RegistryClient(second.url);
    expect([200, 202]).toContain(await after.head(id));
    expect((await after.agent(id))?.capabilities[0]?.tags).toEqual(['kept']);
  });

  it.concurrent('stops promptly on SIGTERM while watch streams and long polls are open', {
    timeout: 60_000,
  }, async ({ expect, onTestFinished }) => {
    const db = await useDatabase(backend, onTestFinished);
    const registry = await db.start();
    const client = new RegistryClient(registry.url);
    const stream = await openEventStream(`${registry.url}/watch`);
    const revision = await client.revision();
    const poll = client.get('/watch', { revision, wait: 30 }, { accept: 'application/json' });
    await sleep(200);
    const metrics = await client.get('/metrics');
    expect(metrics.text).toMatch(/^mesh_registry_watchers 2$/m);

    const started = Date.now();
    expect(await registry.stop(10_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((await poll).json).toEqual({ revision, changed: false });
    expect(await stream.next(1_000)).toBeUndefined();
    stream.close();
  });

  // Timing-sensitive: runs after the others, so that no other registry competes for the CPU
  // while its second registry starts.
  it('keeps registrations; live agents stay healthy, silent ones come back unhealthy', {
    timeout: 90_000,
  }, async ({ expect, onTestFinished }) => {
    const db = await useDatabase(backend, onTestFinished);
    // The first registry never declares anyone unhealthy, so the stale agent is stored healthy
    // and only the second one's start-up can judge it.
    const startedAt = Date.now();
    const first = await db.start({ DEFAULT_TIMEOUT_THRESHOLD: '60', HEALTH_CHECK_INTERVAL: '0.2' });
    // The second registry's threshold must outlast its start-up (live agents cannot heartbeat
    // meanwhile) and is waited out once: scaled by how long a start takes on this machine now.
    const thresholdMs = Math.min(12_000, Math.max(5_000, 2.5 * (Date.now() - startedAt)));
    const before = new RegistryClient(first.url);
    const capability = unique('durable');
    const provider = unique('provider');
    const consumer = unique('consumer');
    const stale = unique('stale');
    const postOnly = unique('post-only');
    const consumerBody = agentBody(consumer, [
      tool('use', unique('use'), { dependencies: [dependency(capability)] }),
    ]);
    const postOnlyBody = agentBody(postOnly, [tool('p', unique('p'))]);
    const staleSince = Date.now();
    await before.register(agentBody(stale, [tool('s', unique('s'))]));
    await before.register(agentBody(provider, [tool('serve', capability, { version: '1.4.0' })]));
    await before.register(consumerBody);
    await before.register(postOnlyBody);
    await waitFor(
      'the register events',
      async () => (await before.events({ type: 'register', agent_id: stale })).length === 1,
    );

    // Live agents keep heartbeating (HEAD, or full POSTs) until the stale one is past the
    // second registry's threshold; then the first registry stops.
    let lastLive = Date.now();
    while (Date.now() - staleSince < thresholdMs + 300) {
      expect(await before.head(provider)).toBe(200);
      expect(await before.head(consumer)).toBe(200);
      expect((await before.heartbeat(postOnlyBody)).status).toBe(200);
      lastLive = Date.now();
      await sleep(250);
    }
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await db.start({
      DEFAULT_TIMEOUT_THRESHOLD: String(thresholdMs / 1000),
      HEALTH_CHECK_INTERVAL: '0.2',
    });
    const after = new RegistryClient(second.url);
    const heads = {
      provider: await after.head(provider),
      consumer: await after.head(consumer),
      postOnly: await after.head(postOnly),
      stale: await after.head(stale),
    };
    const silence = Date.now() - lastLive;
    expect(
      silence,
      'the restart took longer than the threshold; the test cannot judge',
    ).toBeLessThan(thresholdMs);
    expect([200, 202]).toContain(heads.provider);
    expect([200, 202]).toContain(heads.consumer);
    expect([200, 202], 'an agent that sends only full heartbeats was live too').toContain(
      heads.postOnly,
    );
    expect(heads.stale).toBe(410);

    // ...and stays so: nothing the registry reads later (such as the first registry's events)
    // may revive it, not even for a moment.
    for (const until = Date.now() + 1_500; Date.now() < until; await sleep(20)) {
      expect(await after.head(stale)).toBe(410);
    }
    const agents = await after.agents();
    const status = (id: string) => agents.find((agent) => agent.id === id)?.status;
    expect({
      provider: status(provider),
      consumer: status(consumer),
      postOnly: status(postOnly),
      stale: status(stale),
    }).toEqual({
      provider: 'healthy',
      consumer: 'healthy',
      postOnly: 'healthy',
      stale: 'unhealthy',
    });
    expect(agents.find((agent) => agent.id === provider)?.capabilities).toEqual([
      expect.objectContaining({ name: capability, version: '1.4.0', function_name: 'serve' }),
    ]);

    const resolved = await after.register(consumerBody);
    expect(resolved.message).toBe('Heartbeat received');
    expect(resolved.dependencies_resolved.use?.[0]).toMatchObject({
      status: 'available',
      agent_id: provider,
    });
    // The history survives too.
    expect((await after.events({ agent_id: stale, type: 'register' })).length).toBe(1);
    // The stale agent is welcome back with a POST.
    expect((await after.heartbeat(agentBody(stale, [tool('s', unique('s'))]))).status).toBe(200);
  });
});
