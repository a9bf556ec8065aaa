import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';
import { agentInfo } from './agent-info.js';
import { dependencyExplanations } from './dependency-explanations.js';

interface AgentsQuery {
  status?: string;
  capability?: string;
  tags?: string | string[];
  namespace?: string;
}

const statuses = new Set(['healthy', 'degraded', 'unhealthy', 'offline']);

/** `GET /agents` with filters, `GET /agents/{agent_id}/dependencies`, `DELETE /agents/{agent_id}`. */
export function agentRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  app.get<{ Querystring: AgentsQuery }>('/agents', async (request) => {
    const { status, capability, namespace } = request.query;
    if (status !== undefined && !statuses.has(status)) {
      throw new RegistryError(
        'bad_request',
        `status "${status}" is not one of healthy, degraded, unhealthy, offline`,
        { field: 'status' },
      );
    }
    const tags = [request.query.tags ?? []]
      .flat()
      .flatMap((entry) => entry.split(','))
      .filter(Boolean);
    const agents = [];
    for (const state of registry.topology.all()) {
      const { registration } = state;
      if (status !== undefined && state.status !== status) continue;
      if (namespace !== undefined && registration.namespace !== namespace) continue;
      // With both filters, one tool must satisfy both.
      if (
        (capability !== undefined || tags.length > 0) &&
        !registration.tools.some(
          (tool) =>
            (capability === undefined || tool.capability === capability) &&
            tags.every((tag) => tool.tags.includes(tag)),
        )
      )
        continue;
      agents.push(agentInfo(registry, state));
    }
    agents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { agents, count: agents.length, timestamp: new Date().toISOString() };
  });

  app.get<{ Params: { agent_id: string } }>('/agents/:agent_id/dependencies', async (request) => {
    const state = registry.topology.get(request.params.agent_id);
    if (!state) {
      throw new RegistryError(
        'not_found',
        `no agent "${request.params.agent_id}" is registered; see GET /agents`,
      );
    }
    return dependencyExplanations(registry, state, Date.now());
  });

  app.delete<{ Params: { agent_id: string } }>('/agents/:agent_id', async (request, reply) => {
    const existed = await registry.unregister(request.params.agent_id);
    return reply.code(204).header('x-mesh-agent-existed', String(existed)).send();
  });
}
