import { createHash } from 'node:crypto';
import type { DependencyRequest, ProviderTool } from '../resolution/provider.js';
import { type Resolution, resolveDependency } from '../resolution/resolve-dependency.js';
import type { AgentState } from './agent-state.js';
import { type AgentRegistration, endpointOf } from './registration.js';

/** The resolution of every dependency position of one agent, by tool. */
export interface AgentResolution {
  /** Per tool with dependencies: one resolution per declared dependency, in order. */
  readonly byTool: ReadonlyMap<string, readonly Resolution[]>;
  /** Changes exactly when some provider chosen for this agent changes. */
  readonly hash: string;
}

export type UpsertOutcome = 'registered' | 'updated' | 'recovered' | 'unchanged';

/**
 * The registry's live view of the mesh: agents, their health, and who provides what. Every
 * change that can alter some resolution bumps `revision`; resolutions are computed lazily and
 * cached per revision, so heartbeats that change nothing cost a map lookup.
 */
export class Topology {
  private readonly agents = new Map<string, AgentState>();
  private currentRevision = 0;
  private cachedRevision = -1;
  // Tools of healthy agents by capability, kept up to date on every change.
  private readonly offered = new Map<string, Map<string, ProviderTool>>();
  // Tools of healthy agents that have required dependencies: the only ones that can become
  // unavailable, so the only ones the availability fixpoint has to look at.
  private readonly requiring = new Map<
    string,
    { agentId: string; requests: readonly DependencyRequest[] }
  >();
  private unavailable = new Set<string>();
  private readonly providerLists = new Map<string, ProviderTool[]>();
  private readonly resolutions = new Map<string, AgentResolution>();

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
      registration,
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
  restore(state: AgentState): void {
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

  /** The current resolution of every dependency of an agent (cached per revision). */
  resolutionOf(agentId: string): AgentResolution | undefined {
    const state = this.agents.get(agentId);
    if (!state) return undefined;
    this.refresh();
    let resolution = this.resolutions.get(agentId);
    if (!resolution) {
      resolution = this.resolve(state.registration);
      this.resolutions.set(agentId, resolution);
    }
    return resolution;
  }

  /** Resolves dependencies of a registration that is not (yet) in the topology. */
  resolveFor(registration: AgentRegistration): AgentResolution {
    this.refresh();
    return this.resolve(registration);
  }

  /** The usable providers of a capability, e.g. for `GET /agents?capability=`. */
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
        const { candidates } = resolveDependency(
          request,
          byCapability.get(request.capability) ?? [],
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
      const key = `${registration.agentId}.${tool.functionName}`;
      let tools = this.offered.get(tool.capability);
      if (!tools) {
        tools = new Map();
        this.offered.set(tool.capability, tools);
      }
      tools.set(key, providerOf(registration, tool, state.endpoint));
      const requests = tool.dependencies.filter((dependency) => dependency.required);
      if (requests.length > 0) this.requiring.set(key, { agentId: registration.agentId, requests });
    }
  }

  private withdraw(state: AgentState): void {
    const { registration } = state;
    for (const tool of registration.tools) {
      const key = `${registration.agentId}.${tool.functionName}`;
      this.offered.get(tool.capability)?.delete(key);
      this.requiring.delete(key);
    }
  }

  /** Providers of a capability that are healthy and available, cached per revision. */
  private usable(capability: string): ProviderTool[] {
    let list = this.providerLists.get(capability);
    if (!list) {
      list = [];
      for (const [key, provider] of this.offered.get(capability) ?? []) {
        if (!this.unavailable.has(key)) list.push(provider);
      }
      this.providerLists.set(capability, list);
    }
    return list;
  }

  // Once per revision: drop cached lists and resolutions, then find the tools whose required
  // dependencies cannot resolve, transitively, by iterating to a fixpoint.
  private refresh(): void {
    if (this.cachedRevision === this.currentRevision) return;
    this.resolutions.clear();
    this.providerLists.clear();
    this.unavailable = new Set();
    for (let changed = this.requiring.size > 0; changed; ) {
      changed = false;
      for (const [key, { agentId, requests }] of this.requiring) {
        if (this.unavailable.has(key)) continue;
        const blocked = requests.some(
          (request) =>
            resolveDependency(request, this.usable(request.capability), agentId).candidates
              .length === 0,
        );
        if (blocked) {
          this.unavailable.add(key);
          this.providerLists.clear();
          changed = true;
        }
      }
    }
    this.cachedRevision = this.currentRevision;
  }

  private resolve(registration: AgentRegistration): AgentResolution {
    const byTool = new Map<string, Resolution[]>();
    const digest = createHash('sha1');
    for (const tool of registration.tools) {
      if (tool.dependencies.length === 0) continue;
      const resolutions = tool.dependencies.map((dependency) =>
        resolveDependency(dependency, this.usable(dependency.capability), registration.agentId),
      );
      byTool.set(tool.functionName, resolutions);
      digest.update(tool.functionName);
      for (const { candidates } of resolutions) {
        digest.update('|');
        for (const { provider } of candidates) {
          digest.update(
            `${provider.agentId} ${provider.functionName} ${provider.endpoint} ${provider.version};`,
          );
          digest.update(JSON.stringify(provider.kwargs));
        }
      }
    }
    return { byTool, hash: digest.digest('hex') };
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
