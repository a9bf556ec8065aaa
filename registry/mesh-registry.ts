import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { RegistryConfig } from './config.js';
import { RegistryError } from './errors/registry-error.js';
import { resolutionEventData } from './events/resolution-event-data.js';
import {
  hashRegistration,
  normalizeRegistration,
  type RegistrationBody,
} from './heartbeat/normalize-registration.js';
import { registrationWarnings } from './heartbeat/registration-warnings.js';
import {
  choicesOf,
  decodeChoices,
  encodeChoices,
  type ResolvedDependencyBody,
  toDependenciesResolved,
} from './heartbeat/resolution-response.js';
import type { RegistryEvent, RegistryStore } from './persistence/registry-store.js';
import { ReplicaSync } from './replication/replica-sync.js';
import type { AgentState } from './topology/agent-state.js';
import { type AgentRegistration, endpointOf } from './topology/registration.js';
import { type AgentResolution, Topology } from './topology/topology.js';
import { WatchHub } from './watch/watch-hub.js';

// Trimming the event log is a delete over an index: often enough to keep it near its cap.
const trimEveryScans = 30;

/** The answer to `POST /heartbeat`. */
export interface HeartbeatAnswer {
  status: 'success';
  timestamp: string;
  message: string;
  agent_id: string;
  dependencies_resolved: Record<string, ResolvedDependencyBody[]>;
  revision: number;
}

/** Counters the metrics endpoint reads. */
export interface RegistryCounters {
  fullHeartbeats: number;
  fastHeartbeats: number;
  registrations: number;
  /** Dependency positions whose resolution changed, by what they changed to. */
  resolutionsResolved: number;
  resolutionsUnresolved: number;
}

/**
 * The registry's behaviour, apart from HTTP: registrations, heartbeats, health, events. It keeps
 * the topology in memory and writes to storage only what changes (registrations, health
 * transitions, batched last sightings), never one write per heartbeat.
 */
export class MeshRegistry {
  readonly topology = new Topology();
  readonly watch = new WatchHub(this.topology);
  readonly counters: RegistryCounters = {
    fullHeartbeats: 0,
    fastHeartbeats: 0,
    registrations: 0,
    resolutionsResolved: 0,
    resolutionsUnresolved: 0,
  };
  private readonly sightings = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private scanning = false;
  private scans = 0;
  private storeHealthy = true;
  /** Names this process in the events it records, so other replicas know whose change it was. */
  readonly replicaId = randomBytes(4).toString('hex');
  private readonly sync: ReplicaSync;
  private syncing = false;
  private eventWrites: Promise<void> = Promise.resolve();
  /** Per agent, a hash of its last full heartbeat as received, and the registration it gave. */
  private readonly fingerprints = new Map<
    string,
    { fingerprint: string; registrationHash: string }
  >();

  constructor(
    readonly store: RegistryStore,
    readonly config: RegistryConfig,
    private readonly log: Logger,
  ) {
    this.sync = new ReplicaSync(this.replicaId, store, this.topology, log);
  }

  /** Loads stored agents (those silent too long come back unhealthy) and starts the health scan. */
  async start(now: number = Date.now()): Promise<void> {
    for (const stored of await this.store.loadAgents()) {
      const lastSeen = stored.lastSeen.getTime();
      const silent = now - lastSeen > this.config.unhealthyAfterMs;
      const status = stored.status === 'healthy' && !silent ? 'healthy' : 'unhealthy';
      // Store the verdict too, or the replica sync re-reads the stored 'healthy' and revives it.
      if (status !== stored.status) {
        await this.store.saveStatus(stored.registration.agentId, status, stored.lastSeen);
      }
      this.topology.restore({
        registration: stored.registration,
        registrationHash: stored.registrationHash,
        endpoint: endpointOf(stored.registration),
        status,
        lastSeen,
        createdAt: stored.createdAt.getTime(),
      });
    }
    await this.sync.begin();
    this.log.info({ agents: this.topology.size, replica: this.replicaId }, 'registry state loaded');
    this.timers.push(
      setInterval(() => void this.scan(), this.config.healthCheckIntervalMs).unref(),
      setInterval(() => void this.pullReplicaChanges(), this.config.replicaSyncIntervalMs).unref(),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.flushSightings();
  }

  /**
   * `POST /heartbeat`: registration and full heartbeat in one. `text` is the body's JSON as
   * received, when known (it saves serialising the body again).
   */
  async heartbeat(
    body: RegistrationBody,
    remoteAddress: string,
    now: number = Date.now(),
    text: string = JSON.stringify(body),
  ): Promise<HeartbeatAnswer> {
    this.counters.fullHeartbeats++;
    // PostgreSQL cannot store U+0000 in text or JSON; refuse it here rather than fail the write.
    if (text.includes('\\u0000')) {
      throw new RegistryError(
        'bad_request',
        'the registration contains a NUL character (\\u0000), which cannot be stored; remove it',
      );
    }
    const fingerprint = createHash('sha1')
      .update(remoteAddress)
      .update('\n')
      .update(text)
      .digest('hex');
    const existing = this.topology.get(body.agent_id);
    // Most full heartbeats repeat the last one byte for byte: skip normalising it again.
    const last = this.fingerprints.get(body.agent_id);
    const repeated =
      existing !== undefined &&
      last?.fingerprint === fingerprint &&
      last.registrationHash === existing.registrationHash;
    const registration = repeated
      ? existing.registration
      : normalizeRegistration(body, remoteAddress);
    const registrationHash = repeated ? existing.registrationHash : hashRegistration(registration);
    const events: RegistryEvent[] = [];

    // A recovering agent can close a cycle as surely as a new one: check whatever changes.
    if (
      !existing ||
      existing.registrationHash !== registrationHash ||
      existing.status !== 'healthy'
    ) {
      const cycle = this.topology.requiredCycle(registration);
      if (cycle) {
        throw new RegistryError(
          'conflict',
          `required dependencies would form a cycle: ${cycle.join(' -> ')}; make one of them optional (required: false)`,
          {
            details: { cycle },
          },
        );
      }
    }
    if (!existing || existing.registrationHash !== registrationHash) {
      for (const warning of registrationWarnings(registration)) {
        this.log.warn({ agentId: registration.agentId }, warning);
      }
      await this.guardStore(() =>
        this.store.saveRegistration({
          registration,
          registrationHash,
          status: 'healthy',
          lastSeen: new Date(now),
          createdAt: new Date(existing?.createdAt ?? now),
        }),
      );
      this.counters.registrations++;
    } else if (existing.status !== 'healthy') {
      await this.guardStore(() =>
        this.store.saveStatus(registration.agentId, 'healthy', new Date(now)),
      );
    }

    const outcome = this.topology.upsert(registration, registrationHash, now);
    this.fingerprints.set(registration.agentId, { fingerprint, registrationHash });
    // A full heartbeat is a sighting too: stored with the next batch, like a HEAD's.
    this.sightings.set(registration.agentId, now);
    if (outcome !== 'unchanged') {
      events.push({
        eventType:
          outcome === 'registered' ? 'register' : outcome === 'updated' ? 'update' : 'recovered',
        agentId: registration.agentId,
        agentName: registration.name,
        data: {
          endpoint: this.topology.get(registration.agentId)?.endpoint ?? '',
          tools: registration.tools.length,
        },
      });
    }
    const state = this.topology.get(registration.agentId) as AgentState;
    const resolution = this.topology.resolutionOf(registration.agentId)!;
    if (state.deliveredResolutionHash !== resolution.hash) {
      const choices = choicesOf(resolution);
      const changes = resolutionEvents(state, choices, resolution);
      for (const change of changes) {
        if (change.eventType === 'dependency_resolved') this.counters.resolutionsResolved++;
        else this.counters.resolutionsUnresolved++;
      }
      events.push(...changes);
      state.deliveredResolutionHash = resolution.hash;
      state.deliveredChoices = encodeChoices(choices);
    }
    this.record(events);
    this.watch.changed();

    return {
      status: 'success',
      timestamp: new Date(now).toISOString(),
      message: outcome === 'unchanged' ? 'Heartbeat received' : `Agent ${outcome}`,
      agent_id: registration.agentId,
      dependencies_resolved: dependenciesResolved(registration, resolution),
      revision: this.topology.revision,
    };
  }

  /** `HEAD /heartbeat/{id}`: 200 nothing changed, 202 send a full heartbeat, 410 re-register. */
  fastHeartbeat(agentId: string, now: number = Date.now()): 200 | 202 | 410 | 503 {
    this.counters.fastHeartbeats++;
    if (!this.storeHealthy) return 503;
    const health = this.topology.touch(agentId, now);
    if (health !== 'healthy') return 410;
    this.sightings.set(agentId, now);
    const state = this.topology.get(agentId) as AgentState;
    const hash = this.topology.resolutionHashOf(agentId);
    return hash !== undefined && hash !== state.deliveredResolutionHash ? 202 : 200;
  }

  /** `DELETE /agents/{id}`: graceful unregistration; answers whether the agent existed. */
  async unregister(agentId: string): Promise<boolean> {
    const existed = await this.guardStore(() => this.store.deleteAgent(agentId));
    const state = this.topology.remove(agentId);
    this.forget(agentId);
    if (state || existed) {
      this.record([
        {
          eventType: 'unregister',
          agentId,
          ...(state ? { agentName: state.registration.name } : {}),
          data: {},
        },
      ]);
    }
    this.watch.changed();
    return existed || state !== undefined;
  }

  private forget(agentId: string): void {
    this.sightings.delete(agentId);
    this.fingerprints.delete(agentId);
  }

  /** Whether storage answered the last time it was used. */
  get healthy(): boolean {
    return this.storeHealthy;
  }

  private async pullReplicaChanges(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      if (await this.sync.pull()) this.watch.changed();
    } catch (error) {
      this.log.error({ err: error }, "reading other replicas' changes failed");
    } finally {
      this.syncing = false;
    }
  }

  // Another replica may have heard from an agent this one has not: before declaring agents
  // unhealthy, adopt the newer sightings other replicas stored.
  private async adoptStoredSightings(deadline: number): Promise<void> {
    const silent = [...this.topology.all()].filter(
      (state) => state.status === 'healthy' && state.lastSeen < deadline,
    );
    if (silent.length === 0) return;
    const stored = await this.store.lastSeenOf(silent.map((state) => state.registration.agentId));
    for (const state of silent) {
      const seen = stored.get(state.registration.agentId);
      if (seen !== undefined && seen > state.lastSeen) state.lastSeen = seen;
    }
  }

  private async scan(now: number = Date.now()): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      await this.adoptStoredSightings(now - this.config.unhealthyAfterMs);
      const unhealthy = this.topology.markSilentUnhealthy(now - this.config.unhealthyAfterMs);
      for (const state of unhealthy) {
        this.log.info({ agent: state.registration.agentId }, 'agent unhealthy: no heartbeat');
        this.sightings.delete(state.registration.agentId);
        await this.store.saveStatus(
          state.registration.agentId,
          'unhealthy',
          new Date(state.lastSeen),
        );
      }
      this.record(
        unhealthy.map((state) => ({
          eventType: 'unhealthy' as const,
          agentId: state.registration.agentId,
          agentName: state.registration.name,
          data: { silent_ms: now - state.lastSeen },
        })),
      );
      this.watch.changed();
      const evicted = this.topology.evictSilent(now - this.config.evictAfterMs);
      for (const state of evicted) {
        await this.store.deleteAgent(state.registration.agentId);
        this.forget(state.registration.agentId);
      }
      this.record(
        evicted.map((state) => ({
          eventType: 'expire' as const,
          agentId: state.registration.agentId,
          agentName: state.registration.name,
          data: {},
        })),
      );
      await this.flushSightings();
      if (++this.scans % trimEveryScans === 0) await this.store.trimEvents(this.config.maxEvents);
      this.storeHealthy = true;
    } catch (error) {
      this.storeHealthy = await this.store.ping().catch(() => false);
      this.log.error({ err: error }, 'health scan failed');
    } finally {
      this.scanning = false;
    }
  }

  private async flushSightings(): Promise<void> {
    if (this.sightings.size === 0) return;
    const batch = new Map(this.sightings);
    this.sightings.clear();
    await this.store.saveLastSeen(batch);
  }

  /** Appends events to the audit trail, in order, without waiting for the write. */
  record(events: readonly RegistryEvent[]): void {
    if (events.length === 0) return;
    const tagged = events.map((event) => ({
      ...event,
      data: { ...event.data, replica: this.replicaId },
    }));
    // One write at a time: concurrent inserts on a connection pool can commit out of order,
    // and event ids must follow the order things happened.
    this.eventWrites = this.eventWrites
      .then(() => this.store.appendEvents(tagged))
      .catch((error: unknown) => this.log.error({ err: error }, 'events not stored'));
  }

  // A storage failure must not leave the topology half-changed: callers change it only after
  // the write succeeded, and the client hears 503 (back off and retry).
  private async guardStore<T>(write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      this.storeHealthy = true;
      return result;
    } catch (error) {
      // Only an unreachable database makes the whole registry unhealthy (HEAD answers 503).
      this.storeHealthy = await this.store.ping().catch(() => false);
      this.log.error({ err: error }, 'storage write failed');
      throw new RegistryError(
        'unavailable',
        this.storeHealthy
          ? 'the registry could not store this registration; retry with backoff'
          : 'the registry cannot reach its database; retry with backoff',
      );
    }
  }
}

/** The wire form of a resolution, `dependencies_resolved`. */
function dependenciesResolved(
  registration: AgentRegistration,
  resolution: AgentResolution,
): Record<string, ResolvedDependencyBody[]> {
  const capabilityAt = (tool: string, index: number) =>
    registration.tools.find((entry) => entry.functionName === tool)?.dependencies[index]
      ?.capability ?? '';
  return toDependenciesResolved(resolution, capabilityAt);
}

function resolutionEvents(
  state: AgentState,
  choices: ReadonlyMap<string, string>,
  resolution: AgentResolution,
): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  const delivered = decodeChoices(state.deliveredChoices);
  for (const [key, chosen] of choices) {
    if (delivered.get(key) === chosen) continue;
    const [tool, index] = key.split('#') as [string, string];
    const position = resolution.byTool.get(tool)?.[Number(index)];
    const dependency = state.registration.tools.find((entry) => entry.functionName === tool)
      ?.dependencies[Number(index)];
    events.push({
      eventType: chosen === '' ? 'dependency_unresolved' : 'dependency_resolved',
      agentId: state.registration.agentId,
      agentName: state.registration.name,
      functionName: tool,
      data: resolutionEventData({
        consumer: state.registration.agentId,
        index: Number(index),
        dependency,
        resolution: position,
        chosen,
        prior: delivered.get(key),
      }),
    });
  }
  return events;
}
