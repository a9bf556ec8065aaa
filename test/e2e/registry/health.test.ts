// Health from heartbeat timing against real registry processes with short thresholds, on
// SQLite and PostgreSQL: a silent agent turns unhealthy, drops out of its dependents'
// resolution, answers 410 to HEAD until it POSTs again, and is evicted after a while.
import { describe, expect, it } from 'vitest';
import {
  agentBody,
  dependency,
  keepAlive,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

const thresholdMs = 1_500;
const intervalMs = 200;
// Generous: the threshold, one scan, and slack for a loaded machine.
const unhealthyWithinMs = thresholdMs + intervalMs + 2_500;

describeEachBackend('health timing', (backend) => {
  // Two registries with different settings, side by side; the tests use agents of their own.
  describe.concurrent('with a 1.5 s threshold', () => {
    const fixture = useRegistry(backend, {
      DEFAULT_TIMEOUT_THRESHOLD: String(thresholdMs / 1000),
      HEALTH_CHECK_INTERVAL: String(intervalMs / 1000),
    });

    it('a silent provider turns unhealthy, leaves its dependents, and only a POST revives it', async () => {
      const { client } = fixture;
      const capability = unique('flaky');
      const providerId = unique('flaky-provider');
      const consumerId = unique('steady-consumer');
      const provider = agentBody(providerId, [tool('serve', capability)]);
      const consumer = agentBody(consumerId, [
        tool('use', unique('use'), { dependencies: [dependency(capability)] }),
      ]);
      // Both alive until the consumer is wired to the provider (a loaded machine can be slower
      // than the threshold between two requests).
      await client.register(provider);
      const providerWarm = keepAlive(client, providerId, 250, provider);
      const consumerAlive = keepAlive(client, consumerId);
      try {
        await waitFor('the consumer to resolve the provider', async () => {
          const answer = await client.register(consumer);
          return answer.dependencies_resolved.use?.[0]?.agent_id === providerId;
        });
        // The provider's last sighting; the registry dates it when the request arrives, so
        // start counting before.
        providerWarm.stop();
        const lastHeard = Date.now();
        expect(await client.head(providerId)).toBe(200);
        const unhealthy = await waitFor(
          'the provider to turn unhealthy',
          async () => {
            const agent = await client.agent(providerId);
            return agent?.status === 'unhealthy' && agent;
          },
          { timeoutMs: unhealthyWithinMs + 1_000, intervalMs: 50 },
        );
        const silentFor = Date.now() - lastHeard;
        expect(silentFor).toBeGreaterThanOrEqual(thresholdMs - 50);
        expect(silentFor).toBeLessThan(unhealthyWithinMs);
        expect(unhealthy.capabilities[0]).toMatchObject({
          available: false,
          unavailable_reason: 'agent is unhealthy',
        });
        expect((await client.agents({ status: 'unhealthy' })).map((agent) => agent.id)).toContain(
          providerId,
        );
        expect((await client.agent(consumerId))?.status).toBe('healthy');

        // The consumer hears about it and loses the provider.
        expect(await client.head(consumerId)).toBe(202);
        expect((await client.register(consumer)).dependencies_resolved.use?.[0]?.status).toBe(
          'unresolved',
        );
        expect(await client.head(consumerId)).toBe(200);

        const [event] = await waitFor('the unhealthy event', async () => {
          const events = await client.events({ agent_id: providerId, type: 'unhealthy' });
          return events.length > 0 && events;
        });
        expect(event?.data.silent_ms).toBeGreaterThanOrEqual(thresholdMs);
        const metrics = await client.get('/metrics');
        expect(
          Number(metrics.text.match(/^mesh_registry_agents\{status="unhealthy"\} (\d+)$/m)?.[1]),
        ).toBeGreaterThanOrEqual(1);

        // A HEAD never revives an unhealthy agent.
        expect(await client.head(providerId)).toBe(410);
        expect(await client.head(providerId)).toBe(410);
        expect((await client.agent(providerId))?.status).toBe('unhealthy');

        // A POST does.
        const revived = await client.register(provider);
        expect(revived.message).toBe('Agent recovered');
        const providerAlive = keepAlive(client, providerId);
        try {
          expect(await client.head(providerId)).toBe(200);
          expect((await client.agent(providerId))?.status).toBe('healthy');
          expect(await client.head(consumerId)).toBe(202);
          expect((await client.register(consumer)).dependencies_resolved.use?.[0]).toMatchObject({
            status: 'available',
            agent_id: providerId,
          });
          await waitFor(
            'the recovered event',
            async () =>
              (await client.events({ agent_id: providerId, type: 'recovered' })).length === 1,
          );
        } finally {
          providerAlive.stop();
        }
      } finally {
        providerWarm.stop();
        consumerAlive.stop();
      }
    });

    it('an agent kept alive by HEAD alone stays healthy past the threshold', async () => {
      const { client } = fixture;
      const id = unique('heady');
      await client.register(agentBody(id, [tool('t', unique('t'))]));
      const alive = keepAlive(client, id, 300);
      try {
        await new Promise((resolve) => setTimeout(resolve, thresholdMs + 3 * intervalMs));
        expect((await client.agent(id))?.status).toBe('healthy');
        expect(alive.statuses.filter((status) => status !== 200)).toEqual([]);
      } finally {
        alive.stop();
      }
    });
  });

  describe.concurrent('with eviction after 2 s', () => {
    const fixture = useRegistry(backend, {
      DEFAULT_TIMEOUT_THRESHOLD: '1',
      HEALTH_CHECK_INTERVAL: String(intervalMs / 1000),
      MCP_MESH_EVICT_AFTER: '2',
    });

    it('forgets a long-silent agent: 410, gone from /agents, an expire event', async () => {
      const { client } = fixture;
      const id = unique('ghost');
      const ghost = agentBody(id, [tool('haunt', unique('haunt'))]);
      await client.register(ghost);
      await waitFor('the agent to be evicted', async () => (await client.agent(id)) === undefined, {
        timeoutMs: 6_000,
      });
      expect(await client.head(id)).toBe(410);
      expect((await client.agents({ status: 'unhealthy' })).map((agent) => agent.id)).not.toContain(
        id,
      );
      const types = await waitFor('the expire event', async () => {
        const events = await client.events({ agent_id: id });
        return events.some((event) => event.event_type === 'expire') && events;
      });
      expect(types.map((event) => event.event_type)).toEqual(['expire', 'unhealthy', 'register']);

      // Coming back is a fresh registration.
      expect((await client.register(ghost)).message).toBe('Agent registered');
      expect((await client.agent(id))?.status).toBe('healthy');
    });
  });
});
