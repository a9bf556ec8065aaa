import type { FastifyInstance } from 'fastify';
import type { MeshRegistry } from '../mesh-registry.js';
import { heartbeatSpan } from '../traces/registry-spans.js';
import type { RegistrationBody } from './normalize-registration.js';

/** `POST /heartbeat` and `HEAD /heartbeat/{agent_id}`. */
export function heartbeatRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  app.post<{ Body: RegistrationBody }>(
    '/heartbeat',
    { schema: { body: { $ref: 'MeshAgentRegistration#' } } },
    async (request) => {
      const span = heartbeatSpan(request.body.agent_id, registry.topology.revision);
      const answer = await registry.heartbeat(
        request.body,
        request.ip,
        Date.now(),
        request.jsonText || undefined,
      );
      span?.end(registry.topology.revision);
      return answer;
    },
  );

  app.head<{ Params: { agent_id: string } }>('/heartbeat/:agent_id', async (request, reply) => {
    const status = registry.fastHeartbeat(request.params.agent_id);
    reply.header('x-mesh-revision', String(registry.topology.revision));
    return reply.code(status).send();
  });
}
