import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';

export interface SessionTransportOptions {
  /** Called once the `initialize` request assigned the session its id. */
  onsessioninitialized(sessionId: string): void;
  /** Called once when the session ends (DELETE, close, or the server shutting down). */
  onended(sessionId: string | undefined): void;
}

/**
 * The transport of one 2025-era (`Mcp-Session-Id`) session, answering each POST the cheapest way
 * that still delivers everything:
 *
 * - ordinary requests go to the session's `NodeStreamableHTTPServerTransport` with
 *   `enableJsonResponse` — one JSON body, no SSE framing;
 * - requests that will produce messages before their result (a progress token, a streaming tool, a
 *   session that asked for log notifications) are answered on a one-request SSE transport, because
 *   the SDK's JSON mode drops related notifications.
 *
 * The SDK fixes a transport's response mode at construction; this transport routes each response
 * and related notification back to the exchange that carried its request.
 */
export class SessionTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?:
    | (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void)
    | undefined;

  private readonly primary: NodeStreamableHTTPServerTransport;
  /** Requests in flight on a streamed exchange, by JSON-RPC id. */
  private readonly streamed = new Map<RequestId, NodeStreamableHTTPServerTransport>();
  /** Single requests awaiting their JSON answer, by JSON-RPC id. */
  private readonly awaitingJson = new Map<RequestId, ServerResponse>();
  private supportedVersions: string[] | undefined;
  private closed = false;

  constructor(private readonly options: SessionTransportOptions) {
    this.primary = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (sessionId) => options.onsessioninitialized(sessionId),
    });
    this.primary.onmessage = (message, extra) => this.receive(message, extra, undefined);
    this.primary.onerror = (error) => this.onerror?.(error);
    this.primary.onclose = () => void this.close();
  }

  get sessionId(): string | undefined {
    return this.primary.sessionId;
  }

  async start(): Promise<void> {
    await this.primary.start();
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.supportedVersions = versions;
    this.primary.setSupportedProtocolVersions(versions);
  }

  /** Serves one HTTP request of the session; `stream` asks for an SSE answer. */
  async handleRequest(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    stream: boolean,
  ): Promise<void> {
    if (!stream || this.closed) {
      const id = singleRequestId(body);
      if (id !== undefined) {
        this.awaitingJson.set(id, res);
        res.once('close', () => {
          if (this.awaitingJson.get(id) === res) this.awaitingJson.delete(id);
        });
      }
      await this.primary.handleRequest(req, res, body);
      return;
    }
    const exchange = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    if (this.supportedVersions) exchange.setSupportedProtocolVersions(this.supportedVersions);
    exchange.onmessage = (message, extra) => this.receive(message, extra, exchange);
    exchange.onerror = (error) => this.onerror?.(error);
    res.once('close', () => this.release(exchange));
    await exchange.start();
    await exchange.handleRequest(req, res, body);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const isResponse = isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
    const requestId = isResponse ? message.id : options?.relatedRequestId;
    const exchange = requestId === undefined ? undefined : this.streamed.get(requestId);
    const related = relatedRequestId(options);
    if (!exchange) {
      await this.primary.send(message, related);
      return;
    }
    if (isResponse) this.streamed.delete(requestId!);
    await exchange.send(message, related);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sessionId = this.primary.sessionId;
    const exchanges = new Set(this.streamed.values());
    this.streamed.clear();
    this.awaitingJson.clear();
    for (const exchange of exchanges) await exchange.close().catch(() => {});
    await this.primary.close().catch(() => {});
    this.options.onended(sessionId);
    this.onclose?.();
  }

  private receive(
    message: JSONRPCMessage,
    extra: MessageExtraInfo | undefined,
    exchange: NodeStreamableHTTPServerTransport | undefined,
  ): void {
    if (exchange && isJSONRPCRequest(message)) this.streamed.set(message.id, exchange);
    if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (requestId !== undefined) setImmediate(() => this.endCancelled(requestId));
    }
    this.onmessage?.(message, extra);
  }

  /**
   * A cancelled request gets no JSON-RPC response, so its HTTP exchange would stay open: end it
   * (an SSE exchange closes its stream; a JSON one answers 202 with no body, as for a notification).
   */
  private endCancelled(requestId: RequestId): void {
    const exchange = this.streamed.get(requestId);
    if (exchange) {
      this.release(exchange);
      return;
    }
    const res = this.awaitingJson.get(requestId);
    if (!res) return;
    this.awaitingJson.delete(requestId);
    this.primary.closeSSEStream(requestId);
    if (!res.headersSent) res.writeHead(202).end();
  }

  private release(exchange: NodeStreamableHTTPServerTransport): void {
    for (const [id, owner] of this.streamed) if (owner === exchange) this.streamed.delete(id);
    void exchange.close().catch(() => {});
  }
}

function singleRequestId(body: unknown): RequestId | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { id, method } = body as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')
    ? id
    : undefined;
}

// The node transport takes only the request a message relates to (and its type no explicit
// undefined): pass that alone, when there is one.
function relatedRequestId(
  options: TransportSendOptions | undefined,
): { relatedRequestId: RequestId } | undefined {
  return options?.relatedRequestId === undefined
    ? undefined
    : { relatedRequestId: options.relatedRequestId };
}
