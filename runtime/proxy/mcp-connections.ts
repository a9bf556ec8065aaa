import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch } from 'undici';
import { currentOutboundCall, ResponseTooLargeError } from './outbound-headers.js';

/** Limits on every connection pool to one provider. */
export interface ConnectionLimits {
  /** Concurrent HTTP connections per provider; a burst beyond it queues. */
  readonly connectionsPerProvider: number;
}

/**
 * One connected MCP client per provider endpoint, created on first use and shared by every
 * call: the protocol era is negotiated once (`server/discover`, falling back to `initialize`),
 * and no call ever waits on a handshake another call already made. A client whose connection
 * failed is dropped so the next call reconnects.
 */
export class McpConnections {
  private readonly clients = new Map<string, Promise<Client>>();
  private readonly dispatcher: Agent;

  constructor(
    private readonly clientName: string,
    limits: ConnectionLimits = { connectionsPerProvider: 32 },
  ) {
    this.dispatcher = new Agent({
      connections: limits.connectionsPerProvider,
      keepAliveTimeout: 30_000,
    });
  }

  /** The connected client for a provider endpoint (`http://host:port`). */
  client(endpoint: string): Promise<Client> {
    let client = this.clients.get(endpoint);
    if (!client) {
      client = this.connect(endpoint);
      this.clients.set(endpoint, client);
      client.catch(() => this.clients.delete(endpoint));
    }
    return client;
  }

  /** Forgets a provider's client after a transport failure, closing it. */
  discard(endpoint: string): void {
    const client = this.clients.get(endpoint);
    this.clients.delete(endpoint);
    void client?.then((connected) => connected.close()).catch(() => undefined);
  }

  /**
   * Closes every client and the pool. Requests still pending after `graceMs` (a provider that
   * never answers) are aborted rather than waited for.
   */
  async close(graceMs = 1_000): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const closed = await Promise.race([
      Promise.allSettled(clients.map(async (client) => (await client).close())).then(() =>
        this.dispatcher.close(),
      ),
      grace,
    ]);
    clearTimeout(timer);
    if (closed === 'late') await this.dispatcher.destroy();
  }

  private async connect(endpoint: string): Promise<Client> {
    const client = new Client(
      { name: this.clientName, version: '0.1.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', endpoint), {
      fetch: this.fetch,
    });
    await client.connect(transport);
    return client;
  }

  // Each request carries the headers of the call it belongs to, over a bounded pool.
  private readonly fetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const outbound = currentOutboundCall();
    const headers = new Headers(init?.headers);
    if (outbound)
      for (const [name, value] of Object.entries(outbound.headers)) headers.set(name, value);
    const response = (await undiciFetch(
      input as never,
      { ...(init as object), headers, dispatcher: this.dispatcher } as never,
    )) as unknown as Response;
    const limit = outbound?.maxResponseSize;
    if (limit === undefined || response.body === null) return response;
    return new Response(response.body.pipeThrough(sizeCap(limit)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

// Counts bytes as they arrive and fails the stream at the first byte past the limit.
function sizeCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) controller.error(new ResponseTooLargeError(limit));
      else controller.enqueue(chunk);
    },
  });
}
