import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ClientCapabilities,
  createMcpHandler,
  type McpHttpHandler,
  type McpServer,
  validateHostHeader,
  validateOriginHeader,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { CallerGate } from '../trust/caller-gate.js';
import { refusalOf } from '../trust/caller-refusal.js';
import { sendJson } from './agent-router.js';
import type { AgentSurface } from './agent-surface.js';
import type { LegacySessionState } from './call-context.js';
import { headerValue } from './inbound-call.js';
import { readJsonBody } from './json-body.js';
import { ModernServerPool } from './modern-server-pool.js';
import type { serveOneShotCall } from './one-shot-call.js';
import { servedAsLegacy } from './protocol-era.js';
import type { SessionTransport } from './session-transport.js';
import { serveWebHandler } from './web-handler-bridge.js';

// The 2025-era transports (the SDK's Node adapter over Hono's, which reshapes the global
// Request/Response classes on load) are loaded by the first 2025-era request, not at start.
let legacyTransports:
  | Promise<{
      SessionTransport: typeof SessionTransport;
      serveOneShotCall: typeof serveOneShotCall;
    }>
  | undefined;
const loadLegacyTransports = () =>
  (legacyTransports ??= Promise.all([
    import('./session-transport.js'),
    import('./one-shot-call.js'),
  ]).then(([session, oneShot]) => ({
    SessionTransport: session.SessionTransport,
    serveOneShotCall: oneShot.serveOneShotCall,
  })));

/** Largest request body `/mcp` accepts (the MCP SDK's default bound). */
const bodyLimit = 4 * 1024 * 1024;

export interface McpEndpointOptions {
  readonly surface: AgentSurface;
  /** `Host`/`Origin` hostnames `/mcp` accepts (DNS-rebinding protection; see allowedHostnames). */
  readonly allowedHostnames: string[];
  readonly authToken: string | undefined;
  /** Caller tokens instead of the shared token (trust on): see runtime/trust. */
  readonly callerGate?: CallerGate;
  readonly logger: Logger;
  /** A 2025-era session idle (no request open) this long is closed. */
  readonly sessionIdleMs: number;
  /**
   * Whether a 2025-era request without `initialize` or `Mcp-Session-Id` is served as a one-shot
   * stateless call (see {@link serveOneShotCall}) rather than refused with 400; default true.
   */
  readonly sessionlessCalls?: boolean;
}

interface LegacySession {
  readonly server: McpServer;
  readonly transport: SessionTransport;
  readonly state: LegacySessionState;
  /** HTTP requests of the session still open (a GET stream counts while it lasts). */
  open: number;
  lastActive: number;
}

/**
 * Methods whose handlers run with a context: their 2025-era answer carries log notifications once
 * a session set a log level, and requests to the client when it declared it can answer them.
 */
const handlerMethods = new Set(['tools/call', 'resources/read', 'prompts/get']);

/**
 * `/mcp` for both protocol eras on one endpoint:
 *
 * - 2025-era traffic (`initialize` + `Mcp-Session-Id`; told apart as the SDK's `isLegacyRequest`
 *   does, see {@link servedAsLegacy})
 *   is served by one `McpServer` per session over a {@link SessionTransport} (JSON answers, SSE
 *   only when a request will stream);
 * - 2026-07-28 traffic (stateless, per-request envelope) by `createMcpHandler(factory, { legacy:
 *   'reject' })`, whose factory hands out an idle `McpServer` per request ({@link ModernServerPool}).
 *
 * Both get the body parsed here (JSON, at most 4 MiB) and node's request and response.
 */
export class McpEndpoint {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly modern: McpHttpHandler;
  private readonly onerror: (error: Error) => void;
  private readonly authTools: ReadonlySet<string>;
  private readonly streamingTools: ReadonlySet<string>;
  private readonly sweeper: NodeJS.Timeout;
  private readonly tokenDigest: Buffer | undefined;
  /** POST exchanges not answered yet (calls being served), settled when their response closes. */
  private readonly answering = new Set<Promise<void>>();

  constructor(private readonly options: McpEndpointOptions) {
    const onerror = (error: Error) => options.logger.debug({ err: error }, 'mcp transport error');
    this.onerror = onerror;
    const servers = new ModernServerPool(() => options.surface.build('modern'));
    this.modern = createMcpHandler(() => servers.acquire(), {
      legacy: 'reject',
      responseMode: 'auto',
      onerror,
    });
    const tools = [...options.surface.runner.tools.values()];
    this.authTools = new Set(
      tools.filter((t) => t.metadata.kwargs.auth_required === true).map((t) => t.name),
    );
    this.streamingTools = new Set(
      tools.filter((t) => t.metadata.kwargs.streaming === true).map((t) => t.name),
    );
    this.tokenDigest = options.authToken ? digest(options.authToken) : undefined;
    this.sweeper = setInterval(
      () => this.closeIdleSessions(),
      Math.min(options.sessionIdleMs, 60_000),
    );
    this.sweeper.unref();
  }

  /**
   * Serves one request to `/mcp`: `Host` and `Origin` checked first (403), then the body read
   * (POST only; 415, 413, 400 as JSON-RPC errors), then the caller's credentials (401, 403).
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = validateHostHeader(req.headers.host, this.options.allowedHostnames);
    const origin = host.ok
      ? validateOriginHeader(req.headers.origin, this.options.allowedHostnames)
      : host;
    if (!origin.ok) {
      req.resume();
      writeJsonRpcError(res, 403, -32000, origin.message, null);
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJsonBody(req, bodyLimit);
      if (read === undefined) return;
      if (!read.ok) {
        // The rest of an oversized body is not read: the connection closes after the answer.
        if (read.reason === 'too-large') res.setHeader('connection', 'close');
        writeJsonRpcError(
          res,
          read.status,
          read.reason === 'not-json' ? -32700 : -32000,
          read.message,
          null,
        );
        return;
      }
      body = read.value;
    }
    const refused = this.options.callerGate
      ? await refusalOf(this.options.callerGate, req.headers.authorization, messagesOf(body))
      : undefined;
    if (refused) {
      sendJson(res, refused.status, refused.body, { 'www-authenticate': refused.challenge });
      return;
    }
    const denied = this.options.callerGate ? undefined : this.authorize(req, body);
    if (denied) {
      sendJson(res, 401, denied, { 'www-authenticate': 'Bearer realm="mcp-mesh"' });
      return;
    }
    const legacy = servedAsLegacy(req.method ?? 'GET', req.headers, body);
    if (req.method === 'POST') this.trackAnswer(res);
    try {
      if (legacy) await this.serveLegacy(req, res, body);
      else await serveWebHandler(this.modern, req, res, body, this.onerror);
    } catch (error) {
      this.options.logger.error({ err: error }, 'mcp request failed');
      if (!res.headersSent)
        writeJsonRpcError(res, 500, -32603, 'Internal error', requestIdOf(body));
      else res.end();
    }
  }

  /**
   * Tells subscribers that a resource changed: 2025-era sessions that subscribed to `uri`, and
   * 2026-07-28 `subscriptions/listen` streams that asked for resource updates.
   */
  notifyResourceUpdated(uri: string): void {
    for (const session of this.sessions.values()) {
      if (!session.state.subscriptions.has(uri)) continue;
      session.server.server.sendResourceUpdated({ uri }).catch((error: unknown) => {
        this.options.logger.debug({ err: error, uri }, 'resource update not delivered');
      });
    }
    this.modern.notify.resourceUpdated(uri);
  }

  /**
   * Waits (at most `timeoutMs`) until no POST is being served: those arriving while it waits
   * (from callers that have not rewired yet) are waited for too.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.answering.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.answering]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deadline - Date.now());
        }),
      ]);
      clearTimeout(timer);
    }
  }

  /** Ends every session and the stateless handler. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.server.close()));
    await this.modern.close();
  }

  private async serveLegacy(
    request: IncomingMessage,
    res: ServerResponse,
    body: unknown,
  ): Promise<void> {
    const sessionId = headerValue(request.headers, 'mcp-session-id');
    if (sessionId === undefined) {
      if (request.method === 'POST' && isInitialize(body)) {
        await this.openSession(request, res, body);
        return;
      }
      if (
        request.method === 'POST' &&
        this.options.sessionlessCalls !== false &&
        onlyNotifications(body)
      ) {
        // `notifications/initialized` of a session whose id a relay did not pass back (the
        // predecessor's registry proxy drops Mcp-Session-Id): nothing to do; the calls after it
        // are served one-shot.
        res.writeHead(202).end();
        return;
      }
      if (
        request.method === 'POST' &&
        this.options.sessionlessCalls !== false &&
        hasRequest(body)
      ) {
        const state: LegacySessionState = { subscriptions: new Set() };
        const { serveOneShotCall } = await loadLegacyTransports();
        await serveOneShotCall({
          surface: this.options.surface,
          logger: this.options.logger,
          request,
          res,
          body,
          stream: this.wantsStream(body, state),
        });
        return;
      }
      writeJsonRpcError(
        res,
        400,
        -32000,
        'Bad Request: Mcp-Session-Id header is required; open a session with initialize, or speak protocol 2026-07-28',
        requestIdOf(body),
      );
      return;
    }
    const session = this.sessions.get(sessionId);
    if (!session) {
      writeJsonRpcError(res, 404, -32001, 'Session not found', requestIdOf(body));
      return;
    }
    const stream = request.method === 'POST' && this.wantsStream(body, session.state);
    await this.track(session, res, () =>
      session.transport.handleRequest(request, res, body, stream),
    );
  }

  private async openSession(
    request: IncomingMessage,
    res: ServerResponse,
    body: unknown,
  ): Promise<void> {
    const { SessionTransport } = await loadLegacyTransports();
    const state: LegacySessionState = { subscriptions: new Set() };
    const server = this.options.surface.build('legacy', state);
    const transport = new SessionTransport({
      onsessioninitialized: (id) => this.sessions.set(id, session),
      onended: (id) => {
        if (id !== undefined && this.sessions.get(id) === session) this.sessions.delete(id);
      },
    });
    const session: LegacySession = { server, transport, state, open: 0, lastActive: Date.now() };
    server.server.onerror = (error) =>
      this.options.logger.debug({ err: error }, 'mcp session error');
    await server.connect(transport);
    await this.track(session, res, () => transport.handleRequest(request, res, body, false));
    if (transport.sessionId === undefined) await server.close();
  }

  private async track(
    session: LegacySession,
    res: ServerResponse,
    serve: () => Promise<void>,
  ): Promise<void> {
    session.open += 1;
    session.lastActive = Date.now();
    res.once('close', () => {
      session.open -= 1;
      session.lastActive = Date.now();
    });
    await serve();
  }

  private trackAnswer(res: ServerResponse): void {
    const answered = new Promise<void>((resolve) => res.once('close', resolve));
    this.answering.add(answered);
    void answered.then(() => this.answering.delete(answered));
  }

  private closeIdleSessions(): void {
    const cutoff = Date.now() - this.options.sessionIdleMs;
    for (const [id, session] of this.sessions) {
      if (session.open > 0 || session.lastActive > cutoff) continue;
      this.sessions.delete(id);
      this.options.logger.info({ session: id }, 'closing idle mcp session');
      void session.server.close().catch(() => {});
    }
  }

  /**
   * Whether a 2025-era POST needs an SSE answer: it will send messages before its result. A
   * handler may ask the client for sampling, elicitation or roots (`context.client`, or
   * multi-round input, which the SDK fulfils with such requests on this era) whenever the client
   * declared it can answer them, and those requests travel on the call's own stream.
   */
  private wantsStream(body: unknown, state: LegacySessionState): boolean {
    const answersRequests = acceptsServerRequests(state.clientCapabilities?.());
    return messagesOf(body).some((message) => {
      if (typeof message.method !== 'string' || message.id === undefined) return false;
      const params = isRecord(message.params) ? message.params : undefined;
      const meta = params && isRecord(params._meta) ? params._meta : undefined;
      if (meta?.progressToken !== undefined) return true;
      if (message.method === 'tools/call' && this.streamingTools.has(params?.name as string))
        return true;
      if (!handlerMethods.has(message.method)) return false;
      return answersRequests || state.logLevel !== undefined;
    });
  }

  /**
   * Bearer auth for tools with `auth_required` (only when the agent has a token): a request that
   * calls such a tool without `Authorization: Bearer <token>` is answered 401. Every other
   * request — listing, other tools, resources, prompts — needs no token.
   */
  private authorize(request: IncomingMessage, body: unknown): object | undefined {
    if (!this.tokenDigest || this.authTools.size === 0 || request.method !== 'POST')
      return undefined;
    const guarded = messagesOf(body).find(
      (message) =>
        message.method === 'tools/call' &&
        isRecord(message.params) &&
        this.authTools.has(message.params.name as string),
    );
    if (!guarded) return undefined;
    const presented = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
    if (presented !== undefined && timingSafeEqual(digest(presented), this.tokenDigest))
      return undefined;
    const tool = (guarded.params as { name: string }).name;
    return jsonRpcError(
      -32000,
      presented === undefined
        ? `tool "${tool}" requires authentication: send "Authorization: Bearer <token>" with the agent's MCP_MESH_AUTH_TOKEN`
        : `tool "${tool}" refused the bearer token: it does not match the agent's MCP_MESH_AUTH_TOKEN`,
      guarded.id,
    );
  }
}

type JsonRpcLike = { readonly method?: unknown; readonly id?: unknown; readonly params?: unknown };

function messagesOf(body: unknown): JsonRpcLike[] {
  return (Array.isArray(body) ? body : [body]).filter(isRecord);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function acceptsServerRequests(capabilities: ClientCapabilities | undefined): boolean {
  return (
    capabilities?.sampling !== undefined ||
    capabilities?.elicitation !== undefined ||
    capabilities?.roots !== undefined
  );
}

function onlyNotifications(body: unknown): boolean {
  const messages = messagesOf(body);
  return (
    messages.length > 0 &&
    messages.every((message) => typeof message.method === 'string' && message.id === undefined)
  );
}

function hasRequest(body: unknown): boolean {
  return messagesOf(body).some(
    (message) => typeof message.method === 'string' && message.id !== undefined,
  );
}

function isInitialize(body: unknown): boolean {
  return isRecord(body) && body.method === 'initialize';
}

function requestIdOf(body: unknown): unknown {
  return isRecord(body) && (typeof body.id === 'string' || typeof body.id === 'number')
    ? body.id
    : null;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function jsonRpcError(code: number, message: string, id: unknown) {
  return {
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: { code, message },
  };
}

function writeJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  id: unknown,
): void {
  sendJson(res, status, jsonRpcError(code, message, id));
}
