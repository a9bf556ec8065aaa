import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { MeshRegistry } from '../mesh-registry.js';

/** The registry's version, from its package (the same file from sources and from dist/). */
export const registryVersion: string = (
  createRequire(import.meta.url)('@mcp-mesh/registry/package.json') as { version: string }
).version;
const service = 'mcp-mesh-registry';
const startedAt = Date.now();

/** `GET|HEAD /health` and `GET /`. */
export function healthRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  const health = () => ({
    status: registry.healthy ? 'healthy' : 'unhealthy',
    version: registryVersion,
    uptime_seconds: Math.floor((Date.now() - startedAt) / 1000),
    timestamp: new Date().toISOString(),
    service,
  });
  // fastify answers HEAD from the GET route: same status, no body.
  app.get('/health', async (_request, reply) =>
    reply.code(registry.healthy ? 200 : 503).send(health()),
  );

  app.get('/', async () => ({
    service,
    version: registryVersion,
    status: registry.healthy ? 'healthy' : 'unhealthy',
    endpoints: [
      '/heartbeat',
      '/heartbeat/{agent_id}',
      '/agents',
      '/agents/{agent_id}',
      '/events',
      '/health',
      '/watch',
      '/proxy/{agent_id}/mcp',
      '/metrics',
      '/openapi.json',
    ],
  }));
}
