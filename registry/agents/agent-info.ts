import type { MeshRegistry } from '../mesh-registry.js';
import type { AgentState } from '../topology/agent-state.js';

/** One agent in the shape of `GET /agents` (the predecessor's `AgentInfo`). */
export function agentInfo(registry: MeshRegistry, state: AgentState) {
  const { registration } = state;
  const usable = new Set<string>();
  if (state.status === 'healthy') {
    for (const tool of registration.tools) {
      if (
        registry.topology
          .providersOf(tool.capability)
          .some(
            (provider) =>
              provider.agentId === registration.agentId &&
              provider.functionName === tool.functionName,
          )
      ) {
        usable.add(tool.functionName);
      }
    }
  }
  const resolution = registry.topology.resolutionOf(registration.agentId);
  const dependencyResolutions = registration.tools.flatMap((tool) =>
    tool.dependencies.map((dependency, index) => {
      const best = resolution?.byTool.get(tool.functionName)?.[index]?.candidates[0]?.provider;
      return {
        function_name: tool.functionName,
        capability: dependency.capability,
        tags: dependency.tags,
        mcp_tool: best?.functionName ?? null,
        provider_agent_id: best?.agentId ?? null,
        endpoint: best?.endpoint ?? null,
        status: best ? 'available' : 'unresolved',
      };
    }),
  );
  return {
    id: registration.agentId,
    name: registration.name,
    agent_type: registration.agentType,
    runtime: registration.runtime,
    ...(registration.description === undefined ? {} : { description: registration.description }),
    namespace: registration.namespace,
    status: state.status,
    endpoint: state.endpoint,
    version: registration.version,
    capabilities: registration.tools.map((tool) => ({
      name: tool.capability,
      version: tool.version,
      function_name: tool.functionName,
      tags: tool.tags,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      available: usable.has(tool.functionName),
      ...(usable.has(tool.functionName)
        ? {}
        : {
            unavailable_reason:
              state.status === 'healthy'
                ? 'a required dependency does not resolve'
                : `agent is ${state.status}`,
          }),
    })),
    total_dependencies: dependencyResolutions.length,
    dependencies_resolved: dependencyResolutions.filter((entry) => entry.status === 'available')
      .length,
    dependency_resolutions: dependencyResolutions,
    created_at: new Date(state.createdAt).toISOString(),
    last_seen: new Date(state.lastSeen).toISOString(),
  };
}
