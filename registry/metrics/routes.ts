import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MeshRegistry } from '../mesh-registry.js';

/** `GET /metrics`: Prometheus text format. */
export function metricsRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  const metrics = new Registry();
  new Gauge({
    name: 'mesh_registry_agents',
    help: 'Registered agents by status.',
    labelNames: ['status'],
    registers: [metrics],
    collect() {
      const counts = { healthy: 0, unhealthy: 0 };
      for (const state of registry.topology.all()) counts[state.status]++;
      this.set({ status: 'healthy' }, counts.healthy);
      this.set({ status: 'unhealthy' }, counts.unhealthy);
    },
  });
  new Gauge({
    name: 'mesh_registry_topology_revision',
    help: 'Current topology revision.',
    registers: [metrics],
    collect() {
      this.set(registry.topology.revision);
    },
  });
  new Gauge({
    name: 'mesh_registry_watchers',
    help: 'Open watch streams and long polls.',
    registers: [metrics],
    collect() {
      this.set(registry.watch.size);
    },
  });
  const heartbeats = new Counter({
    name: 'mesh_registry_heartbeats_total',
    help: 'Heartbeats received, by kind (full POST or fast HEAD).',
    labelNames: ['kind'],
    registers: [metrics],
    collect() {
      heartbeats.reset();
      heartbeats.inc({ kind: 'full' }, registry.counters.fullHeartbeats);
      heartbeats.inc({ kind: 'fast' }, registry.counters.fastHeartbeats);
    },
  });
  const resolutions = new Counter({
    name: 'mesh_registry_dependency_resolutions_total',
    help: 'Dependency positions whose resolution changed, by outcome (resolved to a provider or unresolved).',
    labelNames: ['outcome'],
    registers: [metrics],
    collect() {
      resolutions.reset();
      resolutions.inc({ outcome: 'resolved' }, registry.counters.resolutionsResolved);
      resolutions.inc({ outcome: 'unresolved' }, registry.counters.resolutionsUnresolved);
    },
  });
  const durations = new Histogram({
    name: 'mesh_registry_request_duration_seconds',
    help: 'Request latency by route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [metrics],
  });
  app.addHook('onResponse', async (request, reply) => {
    durations.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
}
