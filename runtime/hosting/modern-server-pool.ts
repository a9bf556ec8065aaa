import type { McpServer } from '@modelcontextprotocol/server';
import { withStacklessClose } from './stackless-close.js';

/** Idle servers kept for the next requests; more are built under a burst and then dropped. */
const defaultMaxIdle = 64;

/**
 * The `McpServer`s that serve 2026-07-28 requests, built once and reused: building one per
 * request (the surface stamped on, then torn down) was a visible share of an agent's CPU per call.
 *
 * Each server serves one request at a time — the SDK's entry refuses a server still connected —
 * and comes back here when its exchange closes: the SDK then has already reset everything
 * request-scoped (handlers' abort controllers, timeouts, the transport); the protocol version, the
 * client's identity and the log level are set from each request's envelope. What a handler could
 * still reach after its call ended (a notification, a log line) is cut off by the surface
 * (`boundToExchange`), so it never lands on a later request's exchange.
 *
 * A server handed out but never connected (the entry refused the request first) is not returned:
 * it is simply dropped.
 */
export class ModernServerPool {
  private readonly idle: McpServer[] = [];
  private readonly resting = new WeakSet<McpServer>();

  constructor(
    private readonly build: () => McpServer,
    private readonly maxIdle = defaultMaxIdle,
  ) {}

  /** A server ready to serve one request. */
  acquire(): McpServer {
    const server = this.idle.pop();
    if (server) {
      this.resting.delete(server);
      return server;
    }
    const built = this.build();
    return withStacklessClose(built, () => this.release(built));
  }

  private release(server: McpServer): void {
    if (this.resting.has(server) || server.server.transport !== undefined) return;
    if (this.idle.length >= this.maxIdle) return;
    this.resting.add(server);
    this.idle.push(server);
  }
}
