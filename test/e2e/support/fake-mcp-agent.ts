/**
 * A stand-in for an agent's `/mcp` endpoint: a plain HTTP server on loopback that records
 * every request and answers JSON-RPC by echoing it, so tests can see exactly what the
 * registry's proxy relays in both directions.
 *
 * - a request (`id` present) gets `200 application/json` `{jsonrpc, id, result: {echo}}`;
 *   `initialize` without a session issues `mcp-session-id: session-<n>`, any other request
 *   gets the session id it carried back;
 * - a notification (no `id`) gets `202` with no body;
 * - method `teapot` gets `418` with a JSON-RPC error; method `stream` gets one SSE frame;
 * - `GET /mcp` gets `405`; any other path `404`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeMcpAgent {
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeMcpAgent(): Promise<FakeMcpAgent> {
  const requests: RecordedRequest[] = [];
  let sessions = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      requests.push({ method: request.method ?? '', path, headers: request.headers, body });
      if (path !== '/mcp') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
        return;
      }
      if (request.method !== 'POST') {
        response
          .writeHead(405, { 'content-type': 'application/json', allow: 'POST' })
          .end(JSON.stringify({ error: 'method not allowed' }));
        return;
      }
      let message: { id?: unknown; method?: string };
      try {
        message = JSON.parse(body) as { id?: unknown; method?: string };
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"json"}');
        return;
      }
      const incoming = request.headers['mcp-session-id'];
      const session =
        typeof incoming === 'string'
          ? incoming
          : message.method === 'initialize'
            ? `session-${++sessions}`
            : undefined;
      const sessionHeader = session === undefined ? {} : { 'mcp-session-id': session };
      if (message.id === undefined) {
        response.writeHead(202, sessionHeader).end();
      } else if (message.method === 'teapot') {
        response.writeHead(418, { 'content-type': 'application/json', ...sessionHeader }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: message.id,
            error: { code: -32000, message: 'short and stout' },
          }),
        );
      } else if (message.method === 'stream') {
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          ...sessionHeader,
        });
        response.end(
          `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { streamed: true } })}\n\n`,
        );
      } else {
        response
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...sessionHeader })
          .end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { echo: message } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (it was free a moment ago and is closed again). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
