import type { FastifyBaseLogger } from 'fastify';
import type { RegistryStore } from '../persistence/registry-store.js';
import { endpointOf } from '../topology/registration.js';
import type { Topology } from '../topology/topology.js';

// Lifecycle events are the change log replicas read; resolution events change nothing stored.
const lifecycleEvents = new Set([
  'register',
  'update',
  'recovered',
  'unhealthy',
  'unregister',
  'expire',
]);
// Transactions of other replicas may commit out of id order: re-read a window of recent ids.
const lookback = 200;

/**
 * Keeps one registry replica's in-memory topology in step with the others sharing its
 * database: every lifecycle change is recorded as an event tagged with the replica that made
 * it, and each replica re-reads the agents named by other replicas' events.
 */
export class ReplicaSync {
  private lastEventId = 0;
  // Events up to here were written before this process started and are in the state it loaded.
  private loadedThrough = 0;
  private readonly seen = new Set<number>();

  constructor(
    readonly replicaId: string,
    private readonly store: RegistryStore,
    private readonly topology: Topology,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts reading after the newest event that exists now. */
  async begin(): Promise<void> {
    this.lastEventId = await this.store.lastEventId();
    this.loadedThrough = this.lastEventId;
  }

  /** Applies other replicas' changes; answers whether the topology changed. */
  async pull(): Promise<boolean> {
    const events = await this.store.eventsAfter(Math.max(0, this.lastEventId - lookback), 1000);
    const affected = new Set<string>();
    for (const event of events) {
      if (event.id <= this.loadedThrough || this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      this.lastEventId = Math.max(this.lastEventId, event.id);
      if (lifecycleEvents.has(event.eventType) && event.data.replica !== this.replicaId)
        affected.add(event.agentId);
    }
    for (const id of this.seen) if (id <= this.lastEventId - lookback) this.seen.delete(id);
    const before = this.topology.revision;
    for (const agentId of affected) await this.reload(agentId);
    return this.topology.revision !== before;
  }

  private async reload(agentId: string): Promise<void> {
    const stored = await this.store.loadAgent(agentId);
    const local = this.topology.get(agentId);
    if (!stored) {
      if (local) this.topology.remove(agentId);
      return;
    }
    if (
      local &&
      local.registrationHash === stored.registrationHash &&
      local.status === stored.status
    )
      return;
    this.topology.restore({
      registration: stored.registration,
      registrationHash: stored.registrationHash,
      endpoint: endpointOf(stored.registration),
      status: stored.status,
      lastSeen: Math.max(local?.lastSeen ?? 0, stored.lastSeen.getTime()),
      createdAt: stored.createdAt.getTime(),
      ...(local?.deliveredResolutionHash
        ? { deliveredResolutionHash: local.deliveredResolutionHash }
        : {}),
      ...(local?.deliveredChoices ? { deliveredChoices: local.deliveredChoices } : {}),
    });
    this.log.debug({ agent: agentId, status: stored.status }, 'agent changed by another replica');
  }
}
