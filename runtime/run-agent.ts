import pino from 'pino';
import { Registry as MetricsRegistry } from 'prom-client';
import { openSessionAffinity } from './affinity/open-session-affinity.js';
import type { AgentDefinition } from './agent/define-agent.js';
import { handlerContext } from './agent/handler-context.js';
import type { CallOptions, StreamChunk } from './agent/proxy.js';
import { type RuntimeConfig, RuntimeConfigError, runtimeConfig } from './config.js';
import { currentCallScope } from './context/call-scope.js';
import { listenAddress } from './hosting/listen-address.js';
import { startAgentServer } from './hosting/start-agent-server.js';
import { registrationBody } from './lifecycle/registration-body.js';
import { RegistryClient } from './lifecycle/registry-client.js';
import { RegistryLink } from './lifecycle/registry-link.js';
import { breakerPerEndpoint } from './proxy/circuit-breaker.js';
import { logKwargFallbacksOnce } from './proxy/kwarg-fallbacks.js';
import { McpConnections } from './proxy/mcp-connections.js';
import { DependencyMetrics } from './telemetry/dependency-metrics.js';
import { startTracing } from './telemetry/start-tracing.js';
import { serverTls, trustedCas } from './tls/tls-settings.js';
import { Wiring } from './wiring/wiring.js';

/** A running agent: where it serves, who it is, and how to stop it. */
export interface RunningAgent {
  readonly agentId: string;
  /** `http://host:port`; MCP is at `${url}/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly wiring: Wiring;
  /**
   * Stops gracefully: `/ready` 503 and unregistered first, then the calls in flight finish
   * (bounded by `shutdownTimeoutMs`) while it still serves, then the port and connections close.
   */
  stop(): Promise<void>;
}

/**
 * Runs an agent: serves MCP at once (it works with no registry at all), then registers,
 * heartbeats, and keeps its dependencies wired as providers come and go.
 *
 * @example
 * import greeter from './handlers/greeter.js';
 * const agent = await runAgent(greeter);
 * process.once('SIGTERM', () => void agent.stop());
 */
export async function runAgent(
  definition: AgentDefinition,
  config: RuntimeConfig = runtimeConfig(definition.metadata),
): Promise<RunningAgent> {
  const logger = pino({ level: config.logLevel, base: { agent_id: config.agentId } });
  // OTEL_* configure it; off (the default) it costs nothing and loads nothing.
  const tracing = await startTracing(
    {
      name: definition.metadata.name,
      version: definition.metadata.version,
      instanceId: config.agentId,
    },
    process.env,
    RuntimeConfigError,
  );
  const ca = trustedCas(config.tls);
  const connections = new McpConnections(
    config.agentId,
    undefined,
    config.tls ? (ca === undefined ? {} : { ca }) : undefined,
  );
  const metrics = new MetricsRegistry();
  const breaker = breakerPerEndpoint();
  // Loaded only when configured: jose stays out of an agent that does not use it.
  const trust = config.trust
    ? await (await import('./trust/agent-trust.js')).openAgentTrust(
        config.trust,
        {
          agentId: config.agentId,
          name: definition.metadata.name,
          namespace: definition.metadata.namespace,
        },
        definition.metadata.tools,
      )
    : undefined;
  const environment = {
    connections,
    breaker,
    metrics: new DependencyMetrics(metrics, {
      breakers: () => breaker.all(),
      affinity: () => affinity?.statistics(),
    }),
    kwargFallback: logKwargFallbacksOnce(logger),
    ...(config.authToken === undefined ? {} : { authToken: config.authToken }),
    ...(trust?.callerTokens ? { callerTokens: trust.callerTokens } : {}),
  };
  // Same-agent dependencies call the handler directly, with this agent's own wiring.
  const invokeLocal = async (
    tool: string,
    input: unknown,
    options: CallOptions,
    onProgress?: (chunk: StreamChunk) => void,
  ): Promise<unknown> => {
    const handler = definition.handlers.tools[tool];
    if (!handler) throw new Error(`agent ${definition.metadata.name} has no tool ${tool}`);
    const scope = currentCallScope();
    const signal = options.signal ?? scope?.signal ?? new AbortController().signal;
    const log = logger.child({ tool });
    // A same-agent call has no MCP client: handlerContext says so to client requests.
    return handler(
      input,
      await wiring.dependencies(tool, signal),
      handlerContext({
        agentId: config.agentId,
        signal,
        ...(scope?.sessionId === undefined ? {} : { sessionId: scope.sessionId }),
        headers: scope?.headers ?? {},
        progress: async (progress, total, message) =>
          onProgress?.({
            progress,
            ...(total === undefined ? {} : { total }),
            ...(message === undefined ? {} : { message }),
          }),
        log: {
          debug: (message, data) => log.debug(data ?? {}, message),
          info: (message, data) => log.info(data ?? {}, message),
          warn: (message, data) => log.warn(data ?? {}, message),
          error: (message, data) => log.error(data ?? {}, message),
        },
      }),
    );
  };
  const wiring: Wiring = new Wiring(
    definition,
    config.agentId,
    environment,
    invokeLocal,
    logger,
    // Standalone, no resolution will ever come: a call must not wait for one.
    config.registryUrl ? config.startupWaitMs : 0,
  );

  const registry = config.registryUrl
    ? new RegistryClient(config.registryUrl, {
        ...(trust?.registryCredential ? { credential: trust.registryCredential } : {}),
        ...(ca === undefined ? {} : { ca }),
      })
    : undefined;
  const affinity = await openSessionAffinity(
    definition.metadata,
    config,
    connections,
    registry,
    logger,
  );
  const https = serverTls(config.tls);
  const announcedHost =
    config.announcedHost ??
    listenAddress({
      bind: config.host,
      announce: undefined,
      specHost: undefined,
    }).announcedHost;
  const server = await startAgentServer(definition, {
    agentId: config.agentId,
    host: config.host,
    port: config.port,
    // Callers name the announced host (a Service name, the pod IP) in their Host header.
    allowedHosts: [announcedHost, ...(config.allowedHosts ?? [])],
    drainTimeoutMs: config.shutdownTimeoutMs,
    dependencies: (tool, signal) => wiring.dependencies(tool, signal),
    wiring: () => wiring.snapshot(),
    ...(config.authToken === undefined ? {} : { authToken: config.authToken }),
    ...(trust?.gate ? { callerGate: trust.gate } : {}),
    metrics,
    logger,
    propagateHeaders: config.propagateHeaders,
    ...(affinity ? { affinity } : {}),
    ...(config.requestStateKey === undefined ? {} : { requestStateKey: config.requestStateKey }),
    ...(https === undefined ? {} : { https }),
    ...(config.sessionlessCalls === false ? { sessionlessCalls: false } : {}),
  });
  logger.info({ registry: config.registryUrl ?? 'none (standalone)' }, 'agent started');

  const link = registry
    ? new RegistryLink({
        client: registry,
        agentId: config.agentId,
        body: registrationBody(config.agentId, definition.metadata, {
          host: announcedHost,
          port: server.port,
        }),
        intervalMs: config.heartbeatIntervalMs,
        logger,
        onResolution: (answer) => wiring.apply(answer),
      })
    : undefined;
  link?.start();
  // Ready once the mesh can find it: a replica Ready before it is registered lets a rollout stop
  // the old one while callers have no route to the new, and lets another replica take over a
  // restarted one's sessions meanwhile. An unreachable registry delays it by one attempt only.
  if (link) void link.firstAttempt.then(() => server.markReady());
  else server.markReady();

  let stopping: Promise<void> | undefined;
  return {
    agentId: config.agentId,
    url: server.url,
    port: server.port,
    wiring,
    stop() {
      stopping ??= (async () => {
        logger.info('agent stopping');
        // Out of the Services' endpoints and the registry first, so that callers move to other
        // replicas while this one still answers; then the calls in flight (and any that arrive
        // before callers rewire) finish, bounded by MCP_MESH_SHUTDOWN_TIMEOUT; then the port closes.
        server.markDraining();
        if (link) {
          await link.stop();
          logger.info('agent unregistered; finishing the calls in flight');
        }
        await server.close();
        await connections.close();
        await affinity?.close();
        await tracing?.shutdown();
        logger.info('agent stopped');
      })();
      return stopping;
    },
  };
}
