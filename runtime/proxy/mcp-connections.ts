import type { Agent } from 'undici';
import { agentOrigin } from '../tls/agent-origin.js';
import { runtimeVersion } from '../version.js';
import { loadUndici } from './load-undici.js';
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
  private dispatcher: Promise<Agent> | undefined;

  /**
   * `tls`: providers are reached over HTTPS (their registered `http://` endpoints rewritten),
   * their certificates checked against `ca` (default: the system's CAs).
   */
  constructor(
    private readonly clientName: string,
    private readonly limits: ConnectionLimits = { connectionsPerProvider: 32 },
    private readonly tls?: { readonly ca?: readonly string[] },
  ) {}

  /** The connected client for a provider endpoint (`http://host:port`). */
  client(endpoint: string): Promise<ProviderClient> {
    let client = this.clients.get(endpoint);
    if (!client) {
      const origin = agentOrigin(endpoint, this.tls !== undefined);
      client = this.pool().then((dispatcher) =>
        ProviderClient.connect(origin, dispatcher, () =>
          negotiateProtocol(origin, dispatcher, {
            name: this.clientName,
            version: runtimeVersion,
          }),
        ),
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
    if (!this.dispatcher) return;
    const dispatcher = await this.dispatcher;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const closed = await Promise.race([
      Promise.allSettled(clients.map(async (client) => (await client).close())).then(() =>
        dispatcher.close(),
      ),
      grace,
    ]);
    clearTimeout(timer);
    if (closed === 'late') await dispatcher.destroy();
  }

  private pool(): Promise<Agent> {
    this.dispatcher ??= loadUndici().then(
      ({ Agent }) =>
        new Agent({
          connections: this.limits.connectionsPerProvider,
          keepAliveTimeout: 30_000,
          ...(this.tls?.ca === undefined ? {} : { connect: { ca: [...this.tls.ca] } }),
        }),
    );
    return this.dispatcher;
  }
}
