/**
 * A raw HTTP proxy (node:http) in front of an agent, for fault injection: it counts requests,
 * answers a status to the first N `tools/call` POSTs, or destroys every connection, and
 * forwards everything else unchanged (streamed, so SSE answers pass through as they come).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Forward everything. */
  | { readonly kind: 'none' }
  /** Answer `status` to the first `count` POSTs carrying a `tools/call`, then forward. */
  | { readonly kind: 'fail-tool-calls'; readonly status: number; count: number }
  /** Destroy every incoming connection as soon as a request arrives. */
  | { readonly kind: 'drop' }
  /** Accept every request and never answer (until the proxy closes). */
  | { readonly kind: 'hang' };

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON-RPC method of a POST body, when it has one. */
  readonly rpcMethod: string | undefined;
  /** What the proxy did. */
  readonly outcome: 'forwarded' | 'failed' | 'dropped' | 'held';
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  fault: Fault;
  readonly requests: readonly SeenRequest[];
  /** Requests that carried a `tools/call`. */
  toolCalls(): SeenRequest[];
  close(): Promise<void>;
}

export async function startFaultProxy(
  target: string,
  fault: Fault = { kind: 'none' },
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { fault };

  const server: Server = createServer((incoming, outgoing) => {
    readBody(incoming).then(
      (body) => {
        const rpcMethod = incoming.method === 'POST' ? jsonRpcMethod(body) : undefined;
        const seen = (outcome: SeenRequest['outcome']) =>
          requests.push({
            method: incoming.method ?? '',
            path: incoming.url ?? '',
            headers: incoming.headers,
            rpcMethod,
            outcome,
          });
        const current = state.fault;
        if (current.kind === 'drop') {
          seen('dropped');
          incoming.socket.destroy();
          return;
        }
        if (current.kind === 'hang') {
          seen('held');
          return;
        }
        if (current.kind === 'fail-tool-calls' && rpcMethod === 'tools/call' && current.count > 0) {
          current.count -= 1;
          seen('failed');
          outgoing
            .writeHead(current.status, { 'content-type': 'text/plain' })
            .end(`injected ${current.status}`);
          return;
        }
        seen('forwarded');
        const forwarded = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, host: upstream.host },
          },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on('error', () => outgoing.destroy());
        outgoing.on('close', () => forwarded.destroy());
        forwarded.end(body);
      },
      () => outgoing.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get fault() {
      return state.fault;
    },
    set fault(next) {
      state.fault = next;
    },
    requests,
    toolCalls: () => requests.filter((request) => request.rpcMethod === 'tools/call'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function jsonRpcMethod(body: Buffer): string | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as { method?: unknown };
    return typeof message.method === 'string' ? message.method : undefined;
  } catch {
    return undefined;
  }
}
