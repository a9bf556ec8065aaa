import type { AgentRegistration } from './registration.js';

export type AgentStatus = 'healthy' | 'unhealthy';

/** What the registry knows of one agent. Liveness lives here, in memory, not in the database. */
export interface AgentState {
  readonly registration: AgentRegistration;
  /** Hash of the registration; a full heartbeat with the same hash changes nothing. */
  readonly registrationHash: string;
  readonly endpoint: string;
  status: AgentStatus;
  /** Milliseconds since the epoch of the last heartbeat of any kind. */
  lastSeen: number;
  readonly createdAt: number;
  /** Hash of the resolution last sent to the agent in a POST answer. */
  deliveredResolutionHash?: string;
  /**
   * The provider chosen per dependency position (`tool#index` → `agent.tool`, or ''), as last
   * sent; encoded by `encodeChoices` (heartbeat/resolution-response.ts).
   */
  deliveredChoices?: string;
}
