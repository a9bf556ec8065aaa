import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SessionAffinity } from '../affinity/session-affinity.js';
import type { AgentDefinition } from '../agent/define-agent.js';
import type { CallerGate } from '../trust/caller-gate.js';
import { type Route, routeRequests } from './agent-router.js';
import { AgentSurface } from './agent-surface.js';
import { allowedHostnames } from './host-allowlist.js';
import { McpEndpoint } from './mcp-endpoint.js';
import { probeRoutes, type RuntimeState } from './probe-routes.js';
import { ToolMetrics } from './tool-metrics.js';

export interface AgentServerOptions {
  /** The registered id of this agent (replica); default: the agent's name. */
  agentId?: string;
  /** Interface to bind; default `127.0.0.1`. */
  host: string;
  /** 0 = any free port. */
  port: number;
  /** The injected dependencies for one call of a tool (may wait during start-up, bounded by signal). */
  dependencies(toolName: string, signal: AbortSignal): Promise<Record<string, unknown>>;
  /** Current wiring for /metadata: per tool, per dependency position (opaque JSON). */
  wiring(): Record<string, unknown>;
  /** Bearer token a caller must present for tools with kwargs.auth_required (MCP_MESH_AUTH_TOKEN). */
  authToken?: string;
  /** Verifies caller tokens on `auth_required` tools instead of `authToken` (MCP_MESH_TRUST_KEY). */
  callerGate?: CallerGate;
  /** User health check; /health answers 503 when it returns false or throws. */
  healthCheck?: () => boolean | Promise<boolean>;
  /** Register your metrics on it; /metrics serves it. */
  metrics: Registry;
  /** One line per event, no per-request logs. */
  logger: Logger;
  /** Lower-case inbound header names carried into the call scope (besides traceparent). */
  propagateHeaders: readonly string[];
  /** More hostnames `/mcp` accepts in `Host`/`Origin` (DNS-rebinding protection), e.g. a Service DNS name. */
  allowedHosts?: readonly string[];
  /** A 2025-era MCP session with no request for this long is closed; default 30 minutes. */
  sessionIdleMs?: number;
  /**
   * Serve a 2025-era request sent without `initialize` (no `Mcp-Session-Id`), as the
   * predecessor's meshctl and proxies do, as a one-shot stateless call; false answers it 400.
   * Default true.
   */
  sessionlessCalls?: boolean;
  /** How long `close()` waits for MCP requests being served; default 5 s. */
  drainTimeoutMs?: number;
  /** How long `/health` waits for `healthCheck`; default 5 s. */
  healthCheckTimeoutMs?: number;
  /** Keeps each session of `session_required`/`stateful` tools on one replica; see runtime/affinity. */
  affinity?: SessionAffinity;
  /** Signs multi-round `requestState` (32 bytes or more, shared by replicas); default: random. */
  requestStateKey?: string;
  /** Serve HTTPS with this certificate and key (PEM text); default plain HTTP. */
  https?: { readonly cert: string; readonly key: string };
}

/** A running agent server. */
export interface AgentServer {
  /** `http://host:port` (loopback when bound to every interface). */
  readonly url: string;
  readonly port: number;
  /** The node HTTP (or HTTPS) server, listening. */
  readonly server: Server;
  /** Turns `/ready` to 200: call once the runtime is up (registered, or standalone). */
  markReady(): void;
  /**
   * Turns `/ready` to 503 for good (a pod leaves its Services' endpoints) while it goes on
   * serving: the first step of a graceful stop.
   */
  markDraining(): void;
  /** Tells MCP subscribers (both protocol eras) that the resource at `uri` changed. */
  notifyResourceUpdated(uri: string): void;
  /**
   * Stops: `/ready` 503, waits for the calls being served (those arriving meanwhile too, up to
   * `drainTimeoutMs`), ends MCP sessions, closes the server.
   */
  close(): Promise<void>;
}

/**
 * Idle keep-alive connections stay open this long (fastify's default, longer than the callers'
 * own idle timeouts, so a caller never reuses a socket the agent is closing).
 */
const keepAliveTimeoutMs = 72_000;

/**
 * Starts one agent's HTTP server: `/mcp` (MCP Streamable HTTP, the 2025-11-25 and 2026-07-28
 * protocols on one endpoint), `/livez`, `/ready`, `/health`, `/metadata` and `/metrics`.
 *
 * Tools with `kwargs.auth_required` need `Authorization: Bearer <authToken>` when `authToken` is
 * set (a call without it is answered HTTP 401); everything else on `/mcp` is open. `/mcp` rejects
 * `Host`/`Origin` headers naming other hosts (DNS-rebinding protection; see {@link allowedHostnames}).
 *
 * @throws Error when a tool's input or output schema does not compile, or the port is taken.
 * @example
 * const server = await startAgentServer(clock, {
 *   host: '127.0.0.1', port: 0, dependencies: async () => ({}), wiring: () => ({}),
 *   metrics: new Registry(), logger: pino(), propagateHeaders: [],
 * });
 * server.markReady();
 */
export async function startAgentServer(
  definition: AgentDefinition,
  options: AgentServerOptions,
): Promise<AgentServer> {
  const host = options.host || '127.0.0.1';
  const metadata = definition.metadata;
  const logger = options.logger.child({ agent: metadata.name });
  const metrics = new ToolMetrics(
    options.metrics,
    metadata.tools.map((tool) => tool.name),
  );
  const agentId = options.agentId ?? metadata.name;
  const surface = new AgentSurface(definition, {
    agentId,
    dependencies: options.dependencies,
    propagateHeaders: options.propagateHeaders.map((name) => name.toLowerCase()),
    logger,
    metrics,
    ...(options.affinity ? { affinity: options.affinity } : {}),
    ...(options.requestStateKey ? { requestStateKey: options.requestStateKey } : {}),
  });
  const endpoint = new McpEndpoint({
    surface,
    allowedHostnames: allowedHostnames(host, options.allowedHosts),
    authToken: options.authToken || undefined,
    ...(options.callerGate ? { callerGate: options.callerGate } : {}),
    logger,
    sessionIdleMs: options.sessionIdleMs ?? 30 * 60_000,
    sessionlessCalls: options.sessionlessCalls ?? true,
  });

  let runtime: RuntimeState = 'starting';
  const routes = new Map<string, Route>([
    [
      '/mcp',
      { methods: ['GET', 'POST', 'DELETE'], handle: (req, res) => endpoint.handle(req, res) },
    ],
    ...probeRoutes({
      agentId,
      metadata,
      runtime: () => runtime,
      healthCheck: options.healthCheck,
      healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? 5_000,
      wiring: options.wiring,
      ...(options.affinity ? { affinity: options.affinity } : {}),
      metrics: options.metrics,
    }),
  ]);
  const listener = routeRequests(routes, logger);
  const server: Server = options.https
    ? createHttpsServer({ cert: options.https.cert, key: options.https.key }, listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = keepAliveTimeoutMs;

  try {
    await listen(server, host, options.port);
  } catch (error) {
    await endpoint.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `${options.https ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  logger.info({ url, tools: metadata.tools.length }, 'agent serving');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    markReady() {
      if (runtime === 'starting') runtime = 'up';
    },
    markDraining() {
      runtime = 'shutting_down';
    },
    notifyResourceUpdated: (uri) => endpoint.notifyResourceUpdated(uri),
    close() {
      closing ??= (async () => {
        runtime = 'shutting_down';
        await endpoint.drain(options.drainTimeoutMs ?? 5_000);
        await endpoint.close();
        // Long-lived MCP streams must not hold the close open.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        logger.info('agent stopped');
      })();
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
