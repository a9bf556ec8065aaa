import { unresolvedReason } from '../events/resolution-event-data.js';
import type { MeshRegistry } from '../mesh-registry.js';
import type { DependencySpec } from '../resolution/provider.js';
import type { AgentState } from '../topology/agent-state.js';

/**
 * `GET /agents/{id}/dependencies`: each dependency position of an agent resolved against the
 * topology as it is now, with every candidate and every rejection. Computed at each request, so
 * it never lags behind the topology the way the events (recorded when a choice changes) do.
 */
export function dependencyExplanations(registry: MeshRegistry, state: AgentState, now: number) {
  const { registration } = state;
  const resolution = registry.topology.resolutionOf(registration.agentId);
  const dependencies = registration.tools.flatMap((tool) =>
    tool.dependencies.map((dependency, position) => {
      const resolved = resolution?.byTool.get(tool.functionName)?.[position];
      const candidates = resolved?.candidates ?? [];
      const alternatives = dependency.fallbacks ? [dependency, ...dependency.fallbacks] : undefined;
      // The alternative in effect; the first when none resolves.
      const asked = alternatives?.[resolved?.alternative ?? 0] ?? dependency;
      return {
        function_name: tool.functionName,
        position,
        capability: asked.capability,
        version: asked.version === '' ? '*' : asked.version,
        tags: asked.tags,
        ...(resolved?.alternative === undefined ? {} : { alternative: resolved.alternative }),
        ...(alternatives === undefined ? {} : { alternatives: alternatives.map(summary) }),
        status: candidates.length > 0 ? 'available' : 'unresolved',
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
        rejected: (resolved?.rejections ?? []).map((rejection) => ({
          agent_id: rejection.agentId,
          function_name: rejection.functionName,
          reason: rejection.reason,
        })),
        ...(candidates.length > 0
          ? {}
          : {
              reason: unresolvedReason(asked.capability, asked.version, resolved?.rejections ?? []),
            }),
      };
    }),
  );
  return {
    agent_id: registration.agentId,
    revision: registry.topology.revision,
    timestamp: new Date(now).toISOString(),
    dependencies,
  };
}

function summary(spec: DependencySpec) {
  return {
    capability: spec.capability,
    version: spec.version === '' ? '*' : spec.version,
    tags: spec.tags,
    ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
  };
}
