import type { FastifyInstance } from 'fastify';
import type { MeshRegistry } from '../mesh-registry.js';
import type { RegistrationBody } from './normalize-registration.js';

/** `POST /heartbeat` and `HEAD /heartbeat/{agent_id}`. */
export function heartbeatRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  app.post<{ Body: RegistrationBody }>(
    '/heartbeat',
    { schema: { body: { $ref: 'MeshAgentRegistration#' } } },
    async (request) =>
      registry.heartbeat(request.body, request.ip, Date.now(), request.jsonText || undefined),
  );

  app.head<{ Params: { agent_id: string } }>('/heartbeat/:agent_id', async (request, reply) => {
    const status = registry.fastHeartbeat(request.params.agent_id);
    reply.header('x-mesh-revision', String(registry.topology.revision));
    return reply.code(status).send();
  });
}
