// Loopback HTTP servers implementing a few operations of the two public Petstore documents,
// as their documents describe them (paths under the servers' base paths /api and /v2).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PetstoreService {
  readonly baseUrl: string;
  /** `METHOD path?query` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

type Route = (method: string, url: URL) => { status: number; body?: unknown } | undefined;

async function serve(basePath: string, route: Route): Promise<PetstoreService> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const apiKey = request.headers.api_key;
    requests.push(
      `${request.method} ${url.pathname}${url.search}${typeof apiKey === 'string' ? ` api_key=${apiKey}` : ''}`,
    );
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : '';
    const answer = route(request.method ?? '', new URL(path + url.search, 'http://localhost')) ?? {
      status: 404,
      body: { code: 404, message: `no route ${request.method} ${url.pathname}` },
    };
    if (answer.body === undefined) return response.writeHead(answer.status).end();
    response
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** petstore-expanded.json (3.0): GET /pets/{id}, GET /pets. */
export function startPetstore30(): Promise<PetstoreService> {
  return serve('/api', (method, url) => {
    const one = /^\/pets\/(\d+)$/.exec(url.pathname);
    if (method === 'GET' && one) {
      const id = Number(one[1]);
      return id === 404
        ? { status: 404, body: { code: 404, message: 'pet 404 not found' } }
        : { status: 200, body: { id, name: `Rex-${id}`, tag: 'dog' } };
    }
    if (method === 'GET' && url.pathname === '/pets') {
      const limit = Number(url.searchParams.get('limit') ?? '10');
      const tags = url.searchParams.getAll('tags');
      const pets = [
        { id: 1, name: 'Rex', tag: 'dog' },
        { id: 2, name: 'Tom', tag: 'cat' },
      ];
      return {
        status: 200,
        body: pets.filter((pet) => tags.length === 0 || tags.includes(pet.tag)).slice(0, limit),
      };
    }
    return undefined;
  });
}

/** petstore.yaml (3.1): GET /pet/{petId}, GET /store/inventory, DELETE /pet/{petId}. */
export function startPetstore31(): Promise<PetstoreService> {
  return serve('/v2', (method, url) => {
    const one = /^\/pet\/(\d+)$/.exec(url.pathname);
    if (method === 'GET' && one) {
      return {
        status: 200,
        body: { id: Number(one[1]), name: `Kitty-${one[1]}`, photoUrls: [], status: 'available' },
      };
    }
    if (method === 'DELETE' && one) return { status: 200 };
    if (method === 'GET' && url.pathname === '/store/inventory') {
      return { status: 200, body: { available: 7, sold: 2 } };
    }
    return undefined;
  });
}
