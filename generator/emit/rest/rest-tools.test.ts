import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planGenerate, runGenerate } from '../../run-generate.js';

// The generated REST bodies of the valid fixtures, generated into a folder inside the package
// (so that openapi-fetch and the runtime resolve) and called against a real HTTP server.
const fixtures = fileURLToPath(new URL('../../openapi/fixtures/valid/', import.meta.url));
const out = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.generated-'));

interface Seen {
  method: string;
  url: string;
  trace: string | undefined;
  body: string;
}
const seen: Seen[] = [];
let failuresLeft = 0;
let server: Server;
let baseUrl: string;
let tools: Record<
  string,
  (input: unknown, dependencies: unknown, context: unknown) => Promise<unknown>
>;
// biome-ignore lint/suspicious/noExplicitAny: the generated module is imported at run time.
let helper: any;

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await read(request);
    const trace = request.headers['x-trace'];
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      trace: typeof trace === 'string' ? trace : undefined,
      body,
    });
    const json = (status: number, value: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (request.url?.startsWith('/v1/carts/hang')) return; // never answers: the timeout must end it
    if (request.url?.startsWith('/v1/carts/missing')) return json(404, { error: 'no such cart' });
    if (request.method === 'DELETE' && failuresLeft > 0) {
      failuresLeft--;
      return json(503, { error: 'busy' });
    }
    if (request.method === 'GET') return json(200, [{ sku: 'a', quantity: 2 }]);
    if (request.method === 'POST') return json(201, JSON.parse(body));
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const result = await runGenerate({
    paths: [fixtures],
    outDirectory: out,
    handlersDirectory: join(out, 'handlers'),
    check: false,
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const module = await import(pathToFileURL(join(out, 'rest/the-shop-api.ts')).href);
  tools = module.theShopApiRestTools({ baseUrl });
  helper = await import(pathToFileURL(join(out, 'rest/rest-call.ts')).href);
});

afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const context = () => ({ signal: new AbortController().signal });

describe('generated REST tool bodies', () => {
  it('place path, query (exploded arrays) and header arguments, and answer arrays as { result }', async () => {
    seen.length = 0;
    const answer = await tools.listCartItems!(
      { cartId: 'c 1', page: 2, sku: ['a', 'b'], 'X-Trace': 't-1' },
      {},
      context(),
    );
    expect(answer).toEqual({ result: [{ sku: 'a', quantity: 2 }] });
    expect(seen).toEqual([
      { method: 'GET', url: '/v1/carts/c%201/items?page=2&sku=a&sku=b', trace: 't-1', body: '' },
    ]);
  });

  it('send the JSON body and answer the object', async () => {
    seen.length = 0;
    const item = { sku: 'z', quantity: 1 };
    expect(await tools.addCartItem!({ cartId: 'c1', body: item }, {}, context())).toEqual(item);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/carts/c1/items',
      body: JSON.stringify(item),
    });
  });

  it('turn a non-2xx answer into an error carrying the status and the body', async () => {
    await expect(
      tools.listCartItems!({ cartId: 'missing', sku: [] }, {}, context()),
    ).rejects.toThrow('GET /carts/{cartId}/items answered 404: {"error":"no such cart"}');
  });

  it('retry an idempotent call that answered 503 (retry_count from the kwargs) and answer text', async () => {
    seen.length = 0;
    failuresLeft = 1;
    expect(await tools.deleteCart!({ cartId: 'c1' }, {}, context())).toBe('204 No Content');
    expect(seen.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('end a call at the timeout of its policy', async () => {
    const policy = {
      operation: 'GET /hang',
      timeoutMs: 50,
      retryCount: 0,
      retryDelayMs: 0,
      retryBackoff: 1,
      idempotent: true,
      output: 'object',
    };
    await expect(
      helper.restCall(policy, new AbortController().signal, (signal: AbortSignal) =>
        fetch(`${baseUrl}/carts/hang`, { signal }).then((response) => ({ response })),
      ),
    ).rejects.toThrow('GET /hang timed out after 50 ms');
  });

  it('fail a call, not the agent, when no base URL is known', () => {
    expect(() => helper.restBaseUrl('MCP_MESH_TEST_UNSET_BASE_URL', '/relative')).toThrow(
      'no base URL for the REST service: set MCP_MESH_TEST_UNSET_BASE_URL (the document gives only the path /relative)',
    );
  });
});

describe('generating from OpenAPI documents', () => {
  it('is deterministic and drift-checked like the YAML outputs', async () => {
    const options = {
      paths: [fixtures],
      outDirectory: out,
      handlersDirectory: join(out, 'handlers'),
    };
    const first = await planGenerate(options);
    const second = await planGenerate(options);
    expect(second.outputs).toEqual(first.outputs);
    expect((await runGenerate({ ...options, check: true })).report).toEqual({
      changed: [],
      stale: [],
      scaffolded: [],
    });
    const tools = join(out, 'rest/the-shop-api.ts');
    writeFileSync(tools, `${readFileSync(tools, 'utf8')}// edited\n`);
    expect((await runGenerate({ ...options, check: true })).report?.changed).toEqual([tools]);
  });

  it('lets a handler file replace any one REST body and keep the others', async () => {
    const stub = await import(pathToFileURL(join(out, 'agents/the-shop-api.ts')).href);
    const definition = stub.defineTheShopApi({
      tools: { ...tools, deleteCart: async () => 'kept locally' },
    });
    expect(await definition.handlers.tools.deleteCart({ cartId: 'c1' }, {}, context())).toBe(
      'kept locally',
    );
    expect(definition.handlers.tools.listCartItems).toBe(tools.listCartItems);
  });

  it('scaffolds a handler file that runs every tool from the REST bodies', () => {
    const scaffold = readFileSync(join(out, 'handlers/the-shop-api.ts'), 'utf8');
    expect(scaffold).toContain("import { theShopApiRestTools } from '../rest/the-shop-api.js';");
    expect(scaffold).toContain('...theShopApiRestTools(),');
  });
});
