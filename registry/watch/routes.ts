import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';

interface WatchQuery {
  agent_id?: string;
  revision?: string;
  wait?: string;
}

const keepAliveMs = 15_000;

/**
 * `GET /watch`: topology changes as they happen. Server-sent events by default; with
 * `Accept: application/json` a long poll (`wait` seconds, at most 60) answering
 * `{revision, changed}`.
 */
export function watchRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  // Open streams and held polls, ended when the registry shuts down: otherwise the server
  // would wait for every watching agent to hang up before it could stop.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get<{ Querystring: WatchQuery }>('/watch', async (request, reply) => {
    const agentId = request.query.agent_id;
    const lastEventId = request.headers['last-event-id'];
    const since = parseRevision(
      request.query.revision ?? (typeof lastEventId === 'string' ? lastEventId : undefined),
    );

    if ((request.headers.accept ?? '').includes('application/json')) {
      const waitSeconds = request.query.wait === undefined ? 30 : Number(request.query.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 60) {
        throw new RegistryError('bad_request', 'wait must be a number of seconds from 0 to 60', {
          field: 'wait',
        });
      }
      // A revision other than the current one (older, or newer after a store reset) is news.
      if (since === undefined || since !== registry.topology.revision || waitSeconds === 0) {
        return {
          revision: registry.topology.revision,
          changed: since !== undefined && since !== registry.topology.revision,
        };
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(false), waitSeconds * 1000);
        const stop = registry.watch.watch(agentId, undefined, () => finish(true));
        const end = () => finish(false);
        open.add(end);
        request.raw.on('close', end);
        function finish(changed: boolean) {
          open.delete(end);
          clearTimeout(timer);
          stop();
          resolve({ revision: registry.topology.revision, changed });
        }
      });
    }

    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-mesh-revision': String(registry.topology.revision),
    });
    response.write(`: watching revision ${registry.topology.revision}\n\n`);
    const stop = registry.watch.watch(agentId, since, (change) => {
      response.write(
        `event: topology\nid: ${change.revision}\ndata: ${JSON.stringify(change)}\n\n`,
      );
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
    // Also end our side when the client hangs up: the server keeps a half-closed socket open
    // until the response ends, and would wait for it on shutdown.
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(keepAlive);
      stop();
      response.end();
    };
    open.add(end);
    request.raw.on('close', end);
  });
}

function parseRevision(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const revision = Number(value);
  if (!Number.isInteger(revision) || revision < 0) {
    throw new RegistryError('bad_request', `revision "${value}" must be a non-negative integer`, {
      field: 'revision',
    });
  }
  return revision;
}
