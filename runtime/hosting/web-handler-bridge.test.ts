import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveWebHandler, type WebHandler } from './web-handler-bridge.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Serves `handler` with a parsed JSON body, as the `/mcp` route does. */
async function serve(handler: WebHandler): Promise<string> {
  server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    await serveWebHandler(handler, req, res, text ? JSON.parse(text) : undefined, () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('serveWebHandler', () => {
  it('hands the handler the parsed body and a header-only request; answers JSON in one piece', async () => {
    let seen: { request: Request; parsedBody: unknown } | undefined;
    const url = await serve({
      async fetch(request, options) {
        seen = { request, parsedBody: options?.parsedBody };
        return Response.json({ ok: true }, { status: 201 });
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-extra': 'yes' },
      body: JSON.stringify({ hello: 'world' }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('content-length')).toBe(String('{"ok":true}'.length));
    expect(await response.json()).toEqual({ ok: true });
    expect(seen?.parsedBody).toEqual({ hello: 'world' });
    expect(seen?.request.method).toBe('POST');
    expect(new URL(seen!.request.url).pathname).toBe('/mcp');
    expect(seen?.request.headers.get('x-extra')).toBe('yes');
    expect(seen?.request.headers.get('content-length')).toBeNull();
    expect(seen?.request.body).toBeNull();
  });

  it('streams an event stream as it comes', async () => {
    const url = await serve({
      async fetch() {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('event: message\ndata: 1\n\n'));
            await new Promise((resolve) => setImmediate(resolve));
            controller.enqueue(encoder.encode('event: message\ndata: 2\n\n'));
            controller.close();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      },
    });
    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe('event: message\ndata: 1\n\nevent: message\ndata: 2\n\n');
  });

  it("aborts the request's signal when the client goes away before the answer", async () => {
    let aborted!: () => void;
    const abortedSeen = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    let arrived!: () => void;
    const arrivedSeen = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const url = await serve({
      fetch(request) {
        request.signal.addEventListener('abort', () => aborted());
        arrived();
        return new Promise<Response>((resolve) => {
          request.signal.addEventListener('abort', () => resolve(new Response(null)));
        });
      },
    });
    const client = httpRequest(url, { method: 'POST' });
    client.on('error', () => {});
    client.end('{}');
    await arrivedSeen;
    client.destroy();
    await abortedSeen;
  });
});
