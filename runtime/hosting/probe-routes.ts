import type { Registry } from 'prom-client';
import type { AffinityStatistics, SessionAffinity } from '../affinity/session-affinity.js';
import type { AgentMetadata } from '../metadata.js';
import { errorMessage } from './abortable.js';
import { type Route, type RouteHandler, sendJson, sendText } from './agent-router.js';

/** Where the agent's start-up stands, as `/ready` reports it. */
export type RuntimeState = 'starting' | 'up' | 'shutting_down';

export interface ProbeRouteOptions {
  /** The registered id of this replica, which `/metadata` names. */
  readonly agentId: string;
  readonly metadata: AgentMetadata;
  readonly runtime: () => RuntimeState;
  readonly healthCheck: (() => boolean | Promise<boolean>) | undefined;
  /** A health check that has not answered by then counts as failed. */
  readonly healthCheckTimeoutMs: number;
  readonly wiring: () => Record<string, unknown>;
  readonly metrics: Registry;
  /** Session affinity on this replica, for agents with session-affine tools. */
  readonly affinity?: SessionAffinity;
}

/**
 * The agent's operational endpoints (GET, and HEAD with the same status):
 * - `/livez` 200 for as long as the process serves;
 * - `/ready` 503 until the runtime is up and registered, or failed to register once (and again
 *   once it shuts down);
 * - `/health` the user's health check: 200 healthy, 503 when it answers false, throws or hangs;
 * - `/metadata` what the agent serves and how its dependencies are wired;
 * - `/metrics` Prometheus text.
 */
export function probeRoutes(options: ProbeRouteOptions): Map<string, Route> {
  const agent = options.metadata.name;
  const timestamp = () => new Date().toISOString();
  const get = (handle: RouteHandler): Route => ({ methods: ['GET'], handle });

  return new Map([
    [
      '/livez',
      get((_req, res) => sendJson(res, 200, { alive: true, agent, timestamp: timestamp() })),
    ],
    [
      '/ready',
      get((_req, res) => {
        const runtime = options.runtime();
        const ready = runtime === 'up';
        sendJson(res, ready ? 200 : 503, {
          ready,
          agent,
          runtime,
          ...(ready
            ? {}
            : {
                reason:
                  runtime === 'starting'
                    ? 'the agent is starting (serving, but not registered with the registry yet)'
                    : 'the agent is shutting down',
              }),
          timestamp: timestamp(),
        });
      }),
    ],
    [
      '/health',
      get(async (_req, res) => {
        const verdict = await runHealthCheck(options.healthCheck, options.healthCheckTimeoutMs);
        sendJson(res, verdict.status === 'healthy' ? 200 : 503, {
          ...verdict,
          agent,
          timestamp: timestamp(),
        });
      }),
    ],
    [
      '/metadata',
      get((_req, res) =>
        sendJson(
          res,
          200,
          metadataDocument(
            options.agentId,
            options.metadata,
            options.wiring(),
            options.affinity?.statistics(),
          ),
        ),
      ),
    ],
    [
      '/metrics',
      get(async (_req, res) => {
        const text = await options.metrics.metrics();
        sendText(res, 200, text, { 'content-type': options.metrics.contentType });
      }),
    ],
  ]);
}

interface HealthVerdict {
  readonly status: 'healthy' | 'unhealthy' | 'degraded';
  readonly errors?: readonly string[];
}

async function runHealthCheck(
  check: (() => boolean | Promise<boolean>) | undefined,
  timeoutMs: number,
): Promise<HealthVerdict> {
  if (!check) return { status: 'healthy' };
  let timer: NodeJS.Timeout | undefined;
  try {
    const healthy = await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the health check did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return healthy === true
      ? { status: 'healthy' }
      : { status: 'unhealthy', errors: ['the health check answered false'] };
  } catch (error) {
    return { status: 'degraded', errors: [`the health check failed: ${errorMessage(error)}`] };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `/metadata` document: the agent (its id tells replicas apart), and per tool its capability, version, tags, kwargs
 * (custom keys included), annotations, dependencies and their current wiring; for agents with
 * session-affine tools, the affinity statistics (backend, sessions owned, forwards, re-claims).
 */
export function metadataDocument(
  agentId: string,
  metadata: AgentMetadata,
  wiring: Record<string, unknown>,
  affinity?: AffinityStatistics,
) {
  return {
    agent_id: agentId,
    name: metadata.name,
    version: metadata.version,
    namespace: metadata.namespace,
    ...(metadata.description === undefined ? {} : { description: metadata.description }),
    tools: metadata.tools.map((tool) => ({
      name: tool.name,
      capability: tool.capability,
      version: tool.version,
      tags: tool.tags,
      ...(tool.title === undefined ? {} : { title: tool.title }),
      ...(tool.description === undefined ? {} : { description: tool.description }),
      kwargs: tool.kwargs,
      annotations: tool.annotations ?? {},
      dependencies: tool.dependencies,
      wiring: wiring[tool.name] ?? null,
    })),
    resources: metadata.resources,
    prompts: metadata.prompts,
    wiring,
    ...(affinity ? { affinity } : {}),
    timestamp: new Date().toISOString(),
  };
}
