// The REST service inventory.openapi.yaml describes: plain node:http, items in memory. It knows
// nothing of the mesh; the generated inventory agent calls it. Run alone with
// `npx tsx examples/openapi/rest-server.ts` (PORT, default 0 = a free port).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Item {
  id: string;
  name: string;
  quantity: number;
  tags: string[];
}

/** Starts the inventory service on 127.0.0.1; answers its base URL (…/api) and a stop function. */
export async function startInventoryService(
  port = 0,
): Promise<{ baseUrl: string; server: Server; close: () => Promise<void> }> {
  const items = new Map<string, Item>();
  for (const [name, quantity, tags] of [
    ['bolts', 120, ['hardware']],
    ['hinges', 3, ['hardware']],
    ['paint', 2, ['finish']],
  ] as const) {
    const id = randomUUID();
    items.set(id, { id, name, quantity, tags: [...tags] });
  }
  const server = createServer((request, response) => {
    handle(items, request, response).catch((error: unknown) => {
      send(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${bound}/api`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  items: Map<string, Item>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = url.pathname.replace(/^\/api/, '');
  const one = /^\/items\/([^/]+)$/.exec(route);
  if (route === '/items' && request.method === 'GET') {
    const tag = url.searchParams.get('tag');
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const found = [...items.values()].filter((item) => tag === null || item.tags.includes(tag));
    return send(response, 200, found.slice(0, limit));
  }
  if (route === '/items' && request.method === 'POST') {
    const body = JSON.parse(await readBody(request)) as Partial<Item>;
    if (typeof body.name !== 'string' || typeof body.quantity !== 'number') {
      return send(response, 400, { error: 'name (string) and quantity (integer) are required' });
    }
    const item = {
      id: randomUUID(),
      name: body.name,
      quantity: body.quantity,
      tags: body.tags ?? [],
    };
    items.set(item.id, item);
    return send(response, 201, item);
  }
  if (one && request.method === 'GET') {
    const item = items.get(decodeURIComponent(one[1] as string));
    const requestId = request.headers['x-request-id'];
    if (typeof requestId === 'string') response.setHeader('X-Request-Id', requestId);
    return item ? send(response, 200, item) : send(response, 404, { error: 'no such item' });
  }
  if (one && request.method === 'DELETE') {
    items.delete(decodeURIComponent(one[1] as string));
    response.writeHead(204).end();
    return;
  }
  if (route === '/health') return send(response, 200, { ok: true });
  send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { baseUrl } = await startInventoryService(Number(process.env.PORT ?? '0'));
  console.log(`inventory service at ${baseUrl}`);
}
