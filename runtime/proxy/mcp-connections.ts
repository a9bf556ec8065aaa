import { Agent } from 'undici';
import { agentOrigin } from '../tls/agent-origin.js';
import { runtimeVersion } from '../version.js';
import { ProviderClient } from './provider-client.js';
import { negotiateProtocol } from './provider-protocol.js';

/** Limits on every connection pool to one provider. */
export interface ConnectionLimits {
  /** Concurrent HTTP connections per provider; a burst beyond it queues. */
  readonly connectionsPerProvider: number;
}

/**
 * One client per provider endpoint, created on first use and shared by every call: the protocol
 * era is negotiated once (`server/discover`, falling back to `initialize`), no call ever waits on
 * a handshake another call already made, and calls go out directly over a bounded keep-alive
 * pool (see ProviderClient). A client whose connection failed is dropped so the next call
 * negotiates again.
 */
export class McpConnections {
  private readonly clients = new Map<string, Promise<ProviderClient>>();
  private readonly dispatcher: Agent;

  /**
   * `tls`: providers are reached over HTTPS (their registered `http://` endpoints rewritten),
   * their certificates checked against `ca` (default: the system's CAs).
   */
  constructor(
    private readonly clientName: string,
    limits: ConnectionLimits = { connectionsPerProvider: 32 },
    private readonly tls?: { readonly ca?: readonly string[] },
  ) {
    this.dispatcher = new Agent({
      connections: limits.connectionsPerProvider,
      keepAliveTimeout: 30_000,
      ...(tls?.ca === undefined ? {} : { connect: { ca: [...tls.ca] } }),
    });
  }

  /** The connected client for a provider endpoint (`http://host:port`). */
  client(endpoint: string): Promise<ProviderClient> {
    let client = this.clients.get(endpoint);
    if (!client) {
      const origin = agentOrigin(endpoint, this.tls !== undefined);
      client = ProviderClient.connect(origin, this.dispatcher, () =>
        negotiateProtocol(origin, this.dispatcher, {
          name: this.clientName,
          version: runtimeVersion,
        }),
      );
      this.clients.set(endpoint, client);
      const created = client;
      client.catch(() => {
        if (this.clients.get(endpoint) === created) this.clients.delete(endpoint);
      });
    }
    return client;
  }

  /** Forgets a provider's client after a transport failure. */
  discard(endpoint: string): void {
    this.clients.delete(endpoint);
  }

  /**
   * Ends the providers' sessions and closes the pool. Requests still pending after `graceMs` (a
   * provider that never answers) are aborted rather than waited for.
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
}
