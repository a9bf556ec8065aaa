import type { AgentStatus } from '../topology/agent-state.js';
import type { AgentRegistration } from '../topology/registration.js';

/** An agent as stored: its registration, and its health when it was last written. */
export interface StoredAgent {
  readonly registration: AgentRegistration;
  readonly registrationHash: string;
  readonly status: AgentStatus;
  readonly lastSeen: Date;
  readonly createdAt: Date;
}

/** One entry of the audit trail. */
export interface RegistryEvent {
  readonly eventType: RegistryEventType;
  readonly agentId: string;
  readonly agentName?: string;
  readonly functionName?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export const registryEventTypes = [
  'register',
  'update',
  'unregister',
  'unhealthy',
  'recovered',
  'expire',
  'dependency_resolved',
  'dependency_unresolved',
  'refused',
] as const;

export type RegistryEventType = (typeof registryEventTypes)[number];

export interface StoredEvent extends RegistryEvent {
  readonly id: number;
  readonly createdAt: Date;
}

export interface EventQuery {
  readonly type?: RegistryEventType;
  readonly agentId?: string;
  readonly functionName?: string;
  readonly limit: number;
}

/**
 * What the registry keeps in its database: registrations and their changes, never individual
 * heartbeats. Implemented over Prisma for SQLite and PostgreSQL.
 */
export interface RegistryStore {
  loadAgents(): Promise<StoredAgent[]>;
  /** One agent as stored, or undefined when it is not. */
  loadAgent(agentId: string): Promise<StoredAgent | undefined>;
  /** The stored last sightings of some agents (written by any registry replica). */
  lastSeenOf(agentIds: readonly string[]): Promise<Map<string, number>>;
  /** Events with an id above `afterId`, oldest first: how replicas learn each other's changes. */
  eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]>;
  /** The highest event id, or 0. */
  lastEventId(): Promise<number>;
  /** Writes a registration (agent, tools, dependencies) in one transaction. */
  saveRegistration(agent: StoredAgent): Promise<void>;
  saveStatus(agentId: string, status: AgentStatus, lastSeen: Date): Promise<void>;
  /** Writes many agents' last sightings at once (a batch, not one write per heartbeat). */
  saveLastSeen(sightings: ReadonlyMap<string, number>): Promise<void>;
  /** Answers whether the agent existed. */
  deleteAgent(agentId: string): Promise<boolean>;
  appendEvents(events: readonly RegistryEvent[]): Promise<void>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  /** Deletes the oldest events beyond `keep`. */
  trimEvents(keep: number): Promise<void>;
  /** Answers whether the database responds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
