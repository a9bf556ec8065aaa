import type { Topology } from '../topology/topology.js';

/** What a watcher hears: the revision, and which of the agents it cares about are affected. */
export interface TopologyChange {
  readonly revision: number;
  readonly agent_ids: readonly string[];
}

interface Watcher {
  readonly agentId?: string;
  lastHash?: string;
  readonly send: (change: TopologyChange) => void;
}

/**
 * Tells watchers about topology changes as soon as they happen. A watcher for one agent hears
 * only about changes to that agent's resolution (by hash), so an unrelated registration wakes
 * nobody; a watcher for everything hears every revision. Bursts of changes are coalesced into
 * one notification per event-loop turn.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private scheduled = false;
  private notifiedRevision: number;

  constructor(private readonly topology: Topology) {
    this.notifiedRevision = topology.revision;
  }

  get size(): number {
    return this.watchers.size;
  }

  /**
   * Adds a watcher. With `sinceRevision` other than the current one, the watcher hears at once
   * (it missed a change while disconnected, or the registry's store was reset and its revision
   * went backwards). Answers the function that removes it.
   */
  watch(
    agentId: string | undefined,
    sinceRevision: number | undefined,
    send: (change: TopologyChange) => void,
  ): () => void {
    const watcher: Watcher = {
      ...(agentId === undefined ? {} : { agentId }),
      send,
    };
    if (agentId !== undefined) {
      const hash = this.topology.resolutionHashOf(agentId);
      if (hash !== undefined) watcher.lastHash = hash;
    }
    this.watchers.add(watcher);
    if (sinceRevision !== undefined && sinceRevision !== this.topology.revision) {
      send({ revision: this.topology.revision, agent_ids: agentId === undefined ? [] : [agentId] });
    }
    return () => this.watchers.delete(watcher);
  }

  /** Call after anything that may have changed the topology. */
  changed(): void {
    if (this.scheduled || this.topology.revision === this.notifiedRevision) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.notify();
    });
  }

  private notify(): void {
    const revision = this.topology.revision;
    if (revision === this.notifiedRevision) return;
    this.notifiedRevision = revision;
    for (const watcher of this.watchers) {
      if (watcher.agentId === undefined) {
        watcher.send({ revision, agent_ids: [] });
        continue;
      }
      const hash = this.topology.resolutionHashOf(watcher.agentId);
      if (hash === watcher.lastHash) continue;
      if (hash === undefined) delete watcher.lastHash;
      else watcher.lastHash = hash;
      watcher.send({ revision, agent_ids: [watcher.agentId] });
    }
  }
}
