import type { ListedAgent } from '../lifecycle/registry-client.js';

/** Another running replica of this agent, as the registry lists it. */
export interface Replica {
  readonly agentId: string;
  /** `http://host:port`. */
  readonly endpoint: string;
}

// A listing younger than this answers lookups; an owner missing from it triggers one refresh.
const freshForMs = 1_000;
// However many lookups miss, the registry is asked at most this often.
const minimumRefreshGapMs = 200;

/**
 * The healthy replicas of this agent (same name, other ids), as the registry sees them: the only
 * addresses a call is ever forwarded to. Listings are cached briefly and refreshed on a miss, one
 * request at a time.
 */
export class ReplicaDirectory {
  private replicas = new Map<string, Replica>();
  private listedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly agentName: string,
    private readonly selfId: string,
    /** Lists the healthy agents providing one of this agent's capabilities. */
    private readonly listHealthy: () => Promise<readonly ListedAgent[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The replica `agentId` when it is registered and healthy; undefined otherwise. */
  async find(agentId: string): Promise<Replica | undefined> {
    if (agentId === this.selfId) return undefined;
    const age = this.now() - this.listedAt;
    if (age > freshForMs || (!this.replicas.has(agentId) && age > minimumRefreshGapMs))
      await this.refresh();
    return this.replicas.get(agentId);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const listed = await this.listHealthy();
        this.replicas = new Map(
          listed
            .filter((agent) => agent.name === this.agentName && agent.id !== this.selfId)
            .map((agent) => [agent.id, { agentId: agent.id, endpoint: agent.endpoint }]),
        );
      } catch {
        // No registry answer: keep the last listing. A replica in it that died fails the
        // forward at once (connection refused), and its session is taken over then.
      } finally {
        this.listedAt = this.now();
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
