import type {
  AgentInfo,
  DependencyExplanation,
  DependencyResolutionInfo,
  DependencyTag,
  RegistryEventInfo,
} from '../registry/registry-types.js';
import { readResolutionEvent } from '../registry/resolution-event.js';

/** A provider the registry considers for a dependency, best first. */
export interface CandidateInfo {
  /** `<agent id>.<tool>`. */
  readonly provider: string;
  readonly version?: string;
  readonly score?: number;
}

/** A provider of the right capability that was not chosen, and why. */
export interface RejectionInfo {
  readonly agent_id: string;
  readonly function_name: string;
  readonly reason: string;
}

/** What the agent was last told about a position, from the registry's latest event for it. */
export interface DeliveredInfo {
  readonly at: string;
  readonly event_id?: number;
  /** `<agent id>.<tool>`, or empty for unresolved. */
  readonly chosen: string;
}

/** Why a dependency position has its outcome, as the registry resolves it now. */
export interface DecisionInfo {
  /** `<agent id>.<tool>`, or empty when nothing qualifies. */
  readonly chosen: string;
  readonly candidates: readonly CandidateInfo[];
  readonly rejected: readonly RejectionInfo[];
  /** When the registry recorded the current choice; absent when no event for it is kept. */
  readonly decided_at?: string;
  readonly event_id?: number;
  /** Why nothing qualifies, in the registry's words; absent when resolved or not said. */
  readonly reason?: string;
  /**
   * The latest recorded choice when it differs from the current one: the agent has not fetched
   * its new resolution yet (it does on its next heartbeat).
   */
  readonly delivered?: DeliveredInfo;
}

export interface DependencyReport {
  /** The position in the tool's dependency list, from 0. */
  readonly position: number;
  readonly capability: string;
  /** The semver range asked for; absent when the registry did not explain the position. */
  readonly version?: string;
  readonly tags: readonly DependencyTag[];
  readonly status: DependencyResolutionInfo['status'];
  readonly provider: {
    readonly agent_id: string;
    readonly tool: string;
    readonly endpoint: string;
  } | null;
  /** The registry's current resolution of this position; null when it gave none. */
  readonly decision: DecisionInfo | null;
  /**
   * Agents offering the capability that the registry could not consider (unhealthy, or the
   * tool unavailable), with the reason; only for positions without a provider.
   */
  readonly unusable: readonly RejectionInfo[];
}

export interface ToolReport {
  readonly function_name: string;
  readonly capability: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly available: boolean;
  readonly unavailable_reason?: string;
  readonly dependencies: readonly DependencyReport[];
}

export interface AgentStatusReport {
  readonly agent: AgentInfo;
  readonly tools: readonly ToolReport[];
}

/** What `explainAgent` joins with the agent's own entry of `GET /agents`. */
export interface AgentEvidence {
  /** `GET /agents/{id}/dependencies`: the current resolution, explained. */
  readonly dependencies?: readonly DependencyExplanation[];
  /** The agent's `dependency_resolved` / `dependency_unresolved` events, in any order. */
  readonly events?: readonly RegistryEventInfo[];
  /** Every agent of the mesh (`GET /agents`), to name providers that cannot be used. */
  readonly mesh?: readonly AgentInfo[];
}

/**
 * Joins an agent's current resolutions with the registry's explanation of each (candidates and
 * rejections as of now), the latest recorded event per position (when the current choice was
 * made, or that the agent has not picked up a change yet), and, for positions without a
 * provider, the agents of the mesh that offer the capability but cannot be used.
 */
export function explainAgent(agent: AgentInfo, evidence: AgentEvidence = {}): AgentStatusReport {
  const latest = latestEventPerPosition(agent.id, evidence.events ?? []);
  const explained = new Map<string, DependencyExplanation>();
  for (const entry of evidence.dependencies ?? []) {
    explained.set(`${entry.function_name}#${entry.position}`, entry);
  }
  const positions = new Map<string, number>();
  const byTool = new Map<string, DependencyReport[]>();
  for (const resolution of agent.dependency_resolutions ?? []) {
    const position = positions.get(resolution.function_name) ?? 0;
    positions.set(resolution.function_name, position + 1);
    const key = `${resolution.function_name}#${position}`;
    // An explanation or event about another capability predates a change of the dependencies.
    const explanation = explained.get(key);
    const current = explanation?.capability === resolution.capability ? explanation : undefined;
    const event = latest.get(key);
    const decision = current
      ? decisionOf(
          current,
          event && readResolutionEvent(event.data).capability === resolution.capability
            ? event
            : undefined,
        )
      : null;
    // The explanation was read after the list: where both speak, it is the newer.
    const provider = current ? providerOf(current) : providerOfListed(resolution);
    const report: DependencyReport = {
      position,
      capability: resolution.capability,
      ...(current ? { version: current.version } : {}),
      tags: resolution.tags ?? [],
      status: current ? current.status : resolution.status,
      provider,
      decision,
      unusable: provider
        ? []
        : unusableProviders(resolution.capability, evidence.mesh ?? [], decision),
    };
    byTool.set(resolution.function_name, [...(byTool.get(resolution.function_name) ?? []), report]);
  }
  return {
    agent,
    tools: agent.capabilities.map((capability) => ({
      function_name: capability.function_name,
      capability: capability.name,
      version: capability.version,
      tags: capability.tags ?? [],
      available: capability.available !== false,
      ...(capability.unavailable_reason
        ? { unavailable_reason: capability.unavailable_reason }
        : {}),
      dependencies: byTool.get(capability.function_name) ?? [],
    })),
  };
}

function providerOf(explanation: DependencyExplanation): DependencyReport['provider'] {
  const best = explanation.candidates[0];
  return best
    ? { agent_id: best.agent_id, tool: best.function_name, endpoint: best.endpoint }
    : null;
}

function providerOfListed(resolution: DependencyResolutionInfo): DependencyReport['provider'] {
  if (!resolution.provider_agent_id) return null;
  return {
    agent_id: resolution.provider_agent_id,
    tool: resolution.mcp_tool ?? '',
    endpoint: resolution.endpoint ?? '',
  };
}

function latestEventPerPosition(
  agentId: string,
  events: readonly RegistryEventInfo[],
): Map<string, RegistryEventInfo> {
  const latest = new Map<string, RegistryEventInfo>();
  for (const event of [...events].sort(newestFirst)) {
    if (event.agent_id !== agentId || !event.function_name) continue;
    const position = Number(readResolutionEvent(event.data).position);
    const key = `${event.function_name}#${position}`;
    if (Number.isInteger(position) && !latest.has(key)) latest.set(key, event);
  }
  return latest;
}

function newestFirst(a: RegistryEventInfo, b: RegistryEventInfo): number {
  if (a.event_id !== undefined && b.event_id !== undefined) return b.event_id - a.event_id;
  return Date.parse(b.timestamp) - Date.parse(a.timestamp);
}

function decisionOf(
  explanation: DependencyExplanation,
  event: RegistryEventInfo | undefined,
): DecisionInfo {
  const best = explanation.candidates[0];
  const chosen = best ? `${best.agent_id}.${best.function_name}` : '';
  const recorded = event ? readResolutionEvent(event.data).chosen : undefined;
  const eventId = event?.event_id === undefined ? {} : { event_id: event.event_id };
  return {
    chosen,
    candidates: explanation.candidates.map((candidate) => ({
      provider: `${candidate.agent_id}.${candidate.function_name}`,
      ...(candidate.version === undefined ? {} : { version: candidate.version }),
      score: candidate.score,
    })),
    rejected: explanation.rejected.map(({ agent_id, function_name, reason }) => ({
      agent_id,
      function_name,
      reason,
    })),
    ...(explanation.reason && chosen === '' ? { reason: explanation.reason } : {}),
    ...(event && recorded === chosen ? { decided_at: event.timestamp, ...eventId } : {}),
    ...(event && recorded !== undefined && recorded !== chosen
      ? { delivered: { at: event.timestamp, ...eventId, chosen: recorded } }
      : {}),
  };
}

/** Tools that provide `capability` but that resolution never considers, with the reason. */
function unusableProviders(
  capability: string,
  mesh: readonly AgentInfo[],
  decision: DecisionInfo | null,
): RejectionInfo[] {
  const mentioned = new Set([
    ...(decision?.candidates.map((candidate) => candidate.provider) ?? []),
    ...(decision?.rejected.map((rejection) => `${rejection.agent_id}.${rejection.function_name}`) ??
      []),
  ]);
  const unusable: RejectionInfo[] = [];
  for (const agent of mesh) {
    for (const tool of agent.capabilities) {
      if (tool.name !== capability || mentioned.has(`${agent.id}.${tool.function_name}`)) continue;
      const reason =
        agent.status !== 'healthy'
          ? `agent is ${agent.status}`
          : tool.available === false
            ? `tool unavailable${tool.unavailable_reason ? `: ${tool.unavailable_reason}` : ''}`
            : undefined;
      if (reason) unusable.push({ agent_id: agent.id, function_name: tool.function_name, reason });
    }
  }
  return unusable;
}
