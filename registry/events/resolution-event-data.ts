import { parsedRange } from '../resolution/parsed-semver.js';
import type { DependencyRequest } from '../resolution/provider.js';
import type { Resolution } from '../resolution/resolve-dependency.js';

/**
 * The `data` of a `dependency_resolved` / `dependency_unresolved` event. Two readers share it:
 * ours (`position`, `capability`, `version`, `tags`, `provider`, `candidates`, `rejected`,
 * `reason`) and the predecessor's `meshctl audit` (`consumer`, `dep_index`, `spec`, `stages`,
 * `chosen` as an object, `prior_chosen`). `chosen` is the one key both name: it takes the
 * predecessor's object form, because its decoder drops the whole event on a string there.
 */
export function resolutionEventData(options: {
  readonly consumer: string;
  readonly index: number;
  readonly dependency: DependencyRequest | undefined;
  readonly resolution: Resolution | undefined;
  /** `agent.tool` of the choice, '' when unresolved. */
  readonly chosen: string;
  /** `agent.tool` of the choice delivered before, '' or undefined when there was none. */
  readonly prior: string | undefined;
}): Record<string, unknown> {
  const { consumer, index, dependency, resolution, chosen, prior } = options;
  const candidates = resolution?.candidates ?? [];
  const rejections = resolution?.rejections ?? [];
  const best = chosen === '' ? undefined : candidates[0]?.provider;
  const capability = dependency?.capability ?? '';
  const version = dependency?.version ?? '*';
  const tags = dependency?.tags ?? [];
  const kept = candidates.map(({ provider }) => provider.agentId);
  return {
    position: index,
    capability,
    version,
    tags,
    provider: chosen,
    candidates: candidates.map(({ provider, score }) => ({
      provider: `${provider.agentId}.${provider.functionName}`,
      version: provider.version,
      score,
    })),
    rejected: rejections,
    ...(chosen === '' ? { reason: unresolvedReason(capability, version, rejections) } : {}),
    consumer,
    dep_index: index,
    spec: {
      capability,
      // The predecessor's tags are flat strings; an OR group is shown as `a|b`.
      tags: tags.map((tag) => (typeof tag === 'string' ? tag : tag.join('|'))),
      version_constraint: version,
      schema_mode: 'none',
    },
    stages: [
      {
        stage: 'match',
        kept,
        evicted: rejections.map(({ agentId, functionName, reason }) => ({
          id: agentId,
          reason,
          details: { function_name: functionName },
        })),
      },
      ...(best
        ? [
            {
              stage: 'tiebreaker',
              kept: [best.agentId],
              chosen: best.agentId,
              reason: 'own agent first, then preferred tags, highest version, agent id',
            },
          ]
        : []),
    ],
    ...(best
      ? {
          chosen: {
            agent_id: best.agentId,
            endpoint: best.endpoint,
            function_name: best.functionName,
          },
        }
      : {}),
    // The predecessor compares this with `chosen.agent_id`: the agent part only.
    ...(prior ? { prior_chosen: prior.split('.')[0] } : {}),
  };
}

/** Why a dependency resolves to nothing, in one sentence for `meshctl status` and events. */
export function unresolvedReason(
  capability: string,
  range: string,
  rejections: Resolution['rejections'],
): string {
  if (range !== '' && parsedRange(range) === null) {
    return `the range "${range}" is not a semver range; fix the dependency's version (e.g. >=1.0.0, ^2)`;
  }
  if (rejections.length === 0) {
    return `no healthy provider of capability "${capability}" is registered`;
  }
  const reasons = [...new Set(rejections.map(({ reason }) => reason))];
  if (reasons.length === 1) return `every provider was rejected: ${reasons[0]}`;
  return `every provider was rejected (${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''})`;
}
