import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';
import type { SpanStore } from '../traces/span-store.js';
import { edgeTraffic } from './edge-traffic.js';

/** The page's files, by name: nothing else under /dashboard is read from disk. */
const pageFiles = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;

const trafficWindowMs = 60_000;

/**
 * The dashboard: `GET /dashboard` (a static page, no build step, no framework: it reads the
 * registry's own API, follows `GET /watch` for live topology, and draws the graph as SVG),
 * `GET /dashboard/traffic` (per-edge calls, errors, rate, p50/p99 over the last minute, from the
 * spans the registry keeps) and `GET /dashboard/agents/{id}/tools` (each tool's kwargs).
 */
export function dashboardRoutes(
  app: FastifyInstance,
  registry: MeshRegistry,
  spans: SpanStore,
): void {
  const cache = new Map<string, string>();
  const file = (name: keyof typeof pageFiles) => {
    let text = cache.get(name);
    if (text === undefined) {
      text = readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
      cache.set(name, text);
    }
    return text;
  };
  app.get('/dashboard', async (_request, reply) =>
    reply.header('content-type', pageFiles['index.html']).send(file('index.html')),
  );
  app.get<{ Params: { file: string } }>('/dashboard/:file', async (request, reply) => {
    const name = request.params.file;
    if (name === 'traffic') {
      return { window_ms: trafficWindowMs, edges: edgeTraffic(spans.spans(), trafficWindowMs) };
    }
    if (!Object.hasOwn(pageFiles, name)) {
      throw new RegistryError('not_found', `the dashboard has no file ${name}; open /dashboard`);
    }
    const known = name as keyof typeof pageFiles;
    return reply.header('content-type', pageFiles[known]).send(file(known));
  });
  app.get<{ Params: { agent_id: string } }>(
    '/dashboard/agents/:agent_id/tools',
    async (request) => {
      const state = registry.topology.get(request.params.agent_id);
      if (!state) {
        throw new RegistryError(
          'not_found',
          `no agent "${request.params.agent_id}" is registered; see GET /agents`,
        );
      }
      return {
        agent_id: request.params.agent_id,
        tools: state.registration.tools.map((tool) => ({
          function_name: tool.functionName,
          capability: tool.capability,
          version: tool.version,
          tags: tool.tags,
          kwargs: tool.kwargs,
        })),
      };
    },
  );
}
