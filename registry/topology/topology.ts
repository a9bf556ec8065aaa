import { createHash } from 'node:crypto';
import type { DependencyRequest, ProviderTool } from '../resolution/provider.js';
import type { Resolution } from '../resolution/resolve-dependency.js';
import { resolvePosition } from '../resolution/resolve-position.js';
import type { AgentState } from './agent-state.js';
import { compactRegistration } from './compact-registration.js';
import { type AgentRegistration, endpointOf } from './registration.js';

/** The resolution of every dependency position of one agent, by tool. */
export interface AgentResolution {
  /** Per tool with dependencies: one resolution per declared dependency, in order. */
  readonly byTool: ReadonlyMap<string, readonly Resolution[]>;
  /** Changes exactly when some provider chosen for this agent changes. */
  readonly hash: string;
}

export type UpsertOutcome = 'registered' | 'updated' | 'recovered' | 'unchanged';

const noProviders: readonly ProviderTool[] = Object.freeze([]);

/**
 * The registry's live view of the mesh: agents, their health, and who provides what. Every
 * change that can alter some resolution bumps `revision`; the hash of each agent's resolution
 * is computed lazily and cached per revision, so heartbeats that change nothing cost a map
 * lookup.
 *
 * Memory matters here: at 10,000 agents every byte per tool counts 30,000 times. Hence
 * provider arrays rather than maps per capability, no copy of the usable providers while every
 * tool is available, registrations kept compact (see `compactRegistration`), and resolutions
 * recomputed when asked for rather than kept (only their hashes are).
 */
export class Topology {
  private readonly agents = new Map<string, AgentState>();
  private currentRevision = 0;
  private cachedRevision = -1;
  // Tools of healthy agents by capability, kept up to date on every change. Most capabilities
  // have one provider or a few: an array costs a fraction of a map, and finding one entry to
  // withdraw it is a short scan.
  private readonly offered = new Map<string, ProviderTool[]>();
  // Tools of healthy agents that have required dependencies: the only ones that can become
  // unavailable, so the only ones the availability fixpoint has to look at.
  private readonly requiring = new Map<ProviderTool, readonly DependencyRequest[]>();
  private unavailable = new Set<ProviderTool>();
  // Usable providers per capability, per revision; only needed while some tool is unavailable.
  private readonly providerLists = new Map<string, readonly ProviderTool[]>();
  // Per revision, the hash of each agent's resolution asked for: all a lightweight heartbeat
  // needs. Keeping whole resolutions for every agent cost more than the rest of the topology.
  private readonly resolutionHashes = new Map<string, string>();

  get revision(): number {
    return this.currentRevision;
  }

  get size(): number {
    return this.agents.size;
  }

  get(agentId: string): AgentState | undefined {
    return this.agents.get(agentId);
  }

  all(): IterableIterator<AgentState> {
    return this.agents.values();
  }

  /** Sets the revision, e.g. to the one stored in the database at start. Never goes back. */
  advanceRevisionTo(revision: number): void {
    if (revision > this.currentRevision) this.bump(revision);
  }

  /** Applies a registration or full heartbeat. */
  upsert(registration: AgentRegistration, registrationHash: string, now: number): UpsertOutcome {
    const existing = this.agents.get(registration.agentId);
    if (existing && existing.registrationHash === registrationHash) {
      existing.lastSeen = now;
      if (existing.status === 'healthy') return 'unchanged';
      existing.status = 'healthy';
      this.offer(existing);
      this.bump();
      return 'recovered';
    }
    if (existing) this.withdraw(existing);
    const state: AgentState = {
      registration: compactRegistration(registration),
      registrationHash,
      endpoint: endpointOf(registration),
      status: 'healthy',
      lastSeen: now,
      createdAt: existing?.createdAt ?? now,
      ...(existing?.deliveredResolutionHash
        ? { deliveredResolutionHash: existing.deliveredResolutionHash }
        : {}),
    };
    this.agents.set(registration.agentId, state);
    this.offer(state);
    this.bump();
    return existing ? 'updated' : 'registered';
  }

  /** Restores an agent read from storage at start, with its stored status and last sighting. */
  restore(restored: AgentState): void {
    const state = { ...restored, registration: compactRegistration(restored.registration) };
    const existing = this.agents.get(state.registration.agentId);
    if (existing) this.withdraw(existing);
    this.agents.set(state.registration.agentId, state);
    if (state.status === 'healthy') this.offer(state);
    this.bump();
  }

  /** Records a fast heartbeat. */
  touch(agentId: string, now: number): 'healthy' | 'unhealthy' | 'unknown' {
    const state = this.agents.get(agentId);
    if (!state) return 'unknown';
    if (state.status !== 'healthy') return 'unhealthy';
    state.lastSeen = now;
    return 'healthy';
  }

  /** Marks agents silent since before `deadline` unhealthy; answers those that changed. */
  markSilentUnhealthy(deadline: number): AgentState[] {
    const changed: AgentState[] = [];
    for (const state of this.agents.values()) {
      if (state.status === 'healthy' && state.lastSeen < deadline) {
        state.status = 'unhealthy';
        this.withdraw(state);
        changed.push(state);
      }
    }
    if (changed.length > 0) this.bump();
    return changed;
  }

  /** Forgets agents unhealthy since before `deadline`; answers those evicted. */
  evictSilent(deadline: number): AgentState[] {
    const evicted: AgentState[] = [];
    for (const state of this.agents.values()) {
      if (state.status === 'unhealthy' && state.lastSeen < deadline) evicted.push(state);
    }
    for (const state of evicted) this.agents.delete(state.registration.agentId);
    return evicted;
  }

  remove(agentId: string): AgentState | undefined {
    const state = this.agents.get(agentId);
    if (!state) return undefined;
    this.agents.delete(agentId);
    if (state.status === 'healthy') {
      this.withdraw(state);
      this.bump();
    }
    return state;
  }

  /** The current resolution of every dependency of an agent (computed anew at each call). */
  resolutionOf(agentId: string): AgentResolution | undefined {
    const state = this.agents.get(agentId);
    if (!state) return undefined;
    this.refresh();
    const resolution = this.resolve(state.registration);
    this.resolutionHashes.set(agentId, resolution.hash);
    return resolution;
  }

  /** The hash of an agent's current resolution (cached per revision). */
  resolutionHashOf(agentId: string): string | undefined {
    if (!this.agents.has(agentId)) return undefined;
    this.refresh();
    return this.resolutionHashes.get(agentId) ?? this.resolutionOf(agentId)?.hash;
  }

  /** Resolves dependencies of a registration that is not (yet) in the topology. */
  resolveFor(registration: AgentRegistration): AgentResolution {
    this.refresh();
    return this.resolve(registration);
  }

  /**
   * The usable providers of a capability, e.g. for `GET /agents?capability=`. The list may be
   * the topology's own: read it at once, it changes with the topology.
   */
  providersOf(capability: string): readonly ProviderTool[] {
    this.refresh();
    return this.usable(capability);
  }

  /**
   * The cycle of `required` dependencies that accepting `registration` would close, as
   * `agent.tool` names, or undefined. Edges go from a tool to every provider of each of its
   * required dependencies.
   */
  requiredCycle(registration: AgentRegistration): string[] | undefined {
    // A cycle through this agent must leave it along one of its own required dependencies;
    // without any (the common case) there is nothing to search.
    if (
      !registration.tools.some((tool) =>
        tool.dependencies.some((dependency) => dependency.required),
      )
    )
      return undefined;
    const tools = new Map<string, { agentId: string; requests: readonly DependencyRequest[] }>();
    const byCapability = new Map<string, ProviderTool[]>();
    const addAgent = (agent: AgentRegistration, endpoint: string) => {
      for (const tool of agent.tools) {
        const key = `${agent.agentId}.${tool.functionName}`;
        tools.set(key, {
          agentId: agent.agentId,
          requests: tool.dependencies.filter((dependency) => dependency.required),
        });
        const list = byCapability.get(tool.capability) ?? [];
        list.push(providerOf(agent, tool, endpoint));
        byCapability.set(tool.capability, list);
      }
    };
    for (const state of this.agents.values()) {
      if (state.status === 'healthy' && state.registration.agentId !== registration.agentId)
        addAgent(state.registration, state.endpoint);
    }
    addAgent(registration, endpointOf(registration));

    const visiting: string[] = [];
    const done = new Set<string>();
    const visit = (key: string): string[] | undefined => {
      const index = visiting.indexOf(key);
      if (index >= 0) return [...visiting.slice(index), key];
      if (done.has(key)) return undefined;
      visiting.push(key);
      const tool = tools.get(key);
      for (const request of tool?.requests ?? []) {
        const { candidates } = resolvePosition(
          request,
          (capability) => byCapability.get(capability) ?? [],
          tool?.agentId ?? '',
        );
        for (const candidate of candidates) {
          const cycle = visit(`${candidate.provider.agentId}.${candidate.provider.functionName}`);
          if (cycle) return cycle;
        }
      }
      visiting.pop();
      done.add(key);
      return undefined;
    };
    for (const tool of registration.tools) {
      const cycle = visit(`${registration.agentId}.${tool.functionName}`);
      if (cycle) return cycle;
    }
    return undefined;
  }

  private bump(to?: number): void {
    this.currentRevision = to ?? this.currentRevision + 1;
  }

  private offer(state: AgentState): void {
    const { registration } = state;
    for (const tool of registration.tools) {
      const provider = providerOf(registration, tool, state.endpoint);
      const providers = this.offered.get(tool.capability);
      if (providers) providers.push(provider);
      else this.offered.set(tool.capability, [provider]);
      const requests = tool.dependencies.filter((dependency) => dependency.required);
      if (requests.length > 0) this.requiring.set(provider, requests);
    }
  }

  private withdraw(state: AgentState): void {
    const { agentId, tools } = state.registration;
    for (const tool of tools) {
      const providers = this.offered.get(tool.capability);
      const index =
        providers?.findIndex(
          (provider) => provider.agentId === agentId && provider.functionName === tool.functionName,
        ) ?? -1;
      if (!providers || index < 0) continue;
      this.requiring.delete(providers[index] as ProviderTool);
      if (providers.length === 1) this.offered.delete(tool.capability);
      else providers.splice(index, 1);
    }
  }

  // `usable` bound once, for resolvePosition: a closure per resolution would cost on every POST.
  private readonly usableOf = (capability: string) => this.usable(capability);

  /** Providers of a capability that are healthy and available, cached per revision. */
  private usable(capability: string): readonly ProviderTool[] {
    const offered = this.offered.get(capability) ?? noProviders;
    if (this.unavailable.size === 0) return offered;
    let list = this.providerLists.get(capability);
    if (!list) {
      list = offered.filter((provider) => !this.unavailable.has(provider));
      this.providerLists.set(capability, list);
    }
    return list;
  }

  // Once per revision: drop cached lists and hashes, then find the tools whose required
  // dependencies cannot resolve, transitively, by iterating to a fixpoint.
  private refresh(): void {
    if (this.cachedRevision === this.currentRevision) return;
    this.resolutionHashes.clear();
    this.providerLists.clear();
    this.unavailable = new Set();
    for (let changed = this.requiring.size > 0; changed; ) {
      changed = false;
      for (const [provider, requests] of this.requiring) {
        if (this.unavailable.has(provider)) continue;
        const blocked = requests.some(
          (request) =>
            resolvePosition(request, this.usableOf, provider.agentId).candidates.length === 0,
        );
        if (blocked) {
          this.unavailable.add(provider);
          this.providerLists.clear();
          changed = true;
        }
      }
    }
    this.cachedRevision = this.currentRevision;
  }

  private resolve(registration: AgentRegistration): AgentResolution {
    const byTool = new Map<string, Resolution[]>();
    // Hashed in one piece: each update of a hash is a call into native code.
    let hashed = '';
    for (const tool of registration.tools) {
      if (tool.dependencies.length === 0) continue;
      const resolutions = tool.dependencies.map((dependency) =>
        resolvePosition(dependency, this.usableOf, registration.agentId),
      );
      byTool.set(tool.functionName, resolutions);
      hashed += tool.functionName;
      for (const { candidates } of resolutions) {
        hashed += '|';
        for (const { provider } of candidates) {
          hashed += `${provider.agentId} ${provider.functionName} ${provider.endpoint} ${provider.version};${JSON.stringify(provider.kwargs)}`;
        }
      }
    }
    return { byTool, hash: createHash('sha1').update(hashed).digest('hex') };
  }
}

function providerOf(
  agent: AgentRegistration,
  tool: AgentRegistration['tools'][number],
  endpoint: string,
): ProviderTool {
  return {
    agentId: agent.agentId,
    agentName: agent.name,
    namespace: agent.namespace,
    functionName: tool.functionName,
    capability: tool.capability,
    version: tool.version,
    tags: tool.tags,
    kwargs: tool.kwargs,
    endpoint,
  };
}
