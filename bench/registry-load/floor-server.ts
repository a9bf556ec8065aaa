// The HTTP floor: a minimal fastify server with the registry's load-bearing routes, answering
// fixed responses. Whatever the registry does per request beyond this (validation, resolution,
// storage, events) shows up as the distance between the two in the same load.
// `node --import tsx bench/registry-load/floor-server.ts` with PORT, HOST and FLOOR_RESPONSE
// (path of a file holding the JSON body to answer `POST /heartbeat` with).
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 8100);
const host = process.env.HOST ?? '127.0.0.1';
const responseFile = process.env.FLOOR_RESPONSE;
const heartbeatAnswer =
  responseFile === undefined ? '{"status":"success"}' : readFileSync(responseFile, 'utf8');

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
const watchers = new Set<ServerResponse>();
let revision = 1;

// Any write tells every watcher, as if every change concerned all of them.
function broadcast(): void {
  if (watchers.size === 0) return;
  revision++;
  const frame = `event: topology\nid: ${revision}\ndata: {"revision":${revision},"agent_ids":[]}\n\n`;
  for (const watcher of watchers) watcher.write(frame);
}

app.head('/heartbeat/:agent_id', async (_request, reply) => {
  reply.header('x-mesh-revision', String(revision));
  return reply.code(200).send();
});

app.post('/heartbeat', async (_request, reply) => {
  broadcast();
  return reply.type('application/json').send(heartbeatAnswer);
});

app.delete('/agents/:agent_id', async (_request, reply) => {
  broadcast();
  return reply.code(204).send();
});

app.get('/health', async () => ({ status: 'healthy', service: 'http-floor' }));

app.get('/watch', (request, reply) => {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.write(`: watching revision ${revision}\n\n`);
  watchers.add(response);
  request.raw.on('close', () => watchers.delete(response));
});

await app.listen({ port, host });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const watcher of watchers) watcher.destroy();
    void app.close().then(() => process.exit(0));
  });
}
