import type { Resolution } from '../resolution/resolve-dependency.js';
import type { AgentResolution } from '../topology/topology.js';

/** One dependency position in the wire shape of `dependencies_resolved`. */
export interface ResolvedDependencyBody {
  agent_id: string;
  function_name: string;
  endpoint: string;
  capability: string;
  status: 'available' | 'unresolved';
  kwargs?: Record<string, unknown>;
  /** For a position given as alternatives, the one the candidates satisfy. */
  alternative?: number;
  candidates: {
    agent_id: string;
    function_name: string;
    endpoint: string;
    capability: string;
    version: string;
    tags: readonly string[];
    kwargs: Record<string, unknown>;
    score: number;
  }[];
}

/**
 * The predecessor's `dependencies_resolved` (one entry per dependency position: the best
 * provider, or `unresolved`), with every acceptable provider under `candidates`.
 */
export function toDependenciesResolved(
  resolution: AgentResolution,
  capabilities: (tool: string, position: number) => string,
): Record<string, ResolvedDependencyBody[]> {
  const body: Record<string, ResolvedDependencyBody[]> = {};
  for (const [tool, positions] of resolution.byTool) {
    body[tool] = positions.map((position, index) =>
      toPosition(position, capabilities(tool, index)),
    );
  }
  return body;
}

function toPosition(
  { candidates, alternative }: Resolution,
  capability: string,
): ResolvedDependencyBody {
  const best = candidates[0]?.provider;
  if (!best) {
    return {
      agent_id: '',
      function_name: '',
      endpoint: '',
      capability,
      status: 'unresolved',
      candidates: [],
    };
  }
  return {
    agent_id: best.agentId,
    function_name: best.functionName,
    endpoint: best.endpoint,
    capability: best.capability,
    status: 'available',
    kwargs: { ...best.kwargs },
    ...(alternative === undefined ? {} : { alternative }),
    candidates: candidates.map(({ provider, score }) => ({
      agent_id: provider.agentId,
      function_name: provider.functionName,
      endpoint: provider.endpoint,
      capability: provider.capability,
      version: provider.version,
      tags: provider.tags,
      kwargs: { ...provider.kwargs },
      score,
    })),
  };
}

/** The chosen provider per position (`tool#index` → `agent.tool` or ''), to spot changes. */
export function choicesOf(resolution: AgentResolution): Map<string, string> {
  const choices = new Map<string, string>();
  for (const [tool, positions] of resolution.byTool) {
    positions.forEach(({ candidates }, index) => {
      const best = candidates[0]?.provider;
      choices.set(`${tool}#${index}`, best ? `${best.agentId}.${best.functionName}` : '');
    });
  }
  return choices;
}

/**
 * Choices (see `choicesOf`) as one string, to keep per agent: a map of a few short strings per
 * agent costs several times more memory, and is read back only when the resolution changed.
 */
export function encodeChoices(choices: ReadonlyMap<string, string>): string {
  return JSON.stringify([...choices]);
}

/** The choices `encodeChoices` wrote; none when nothing was delivered yet. */
export function decodeChoices(encoded: string | undefined): Map<string, string> {
  return new Map(encoded === undefined ? [] : (JSON.parse(encoded) as [string, string][]));
}
