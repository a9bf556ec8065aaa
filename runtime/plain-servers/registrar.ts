import type { Logger } from 'pino';
import { type RegistrationBody, registrationBody } from '../lifecycle/registration-body.js';
import { RegistryClient } from '../lifecycle/registry-client.js';
import type { ToolMetadata } from '../metadata.js';
import { type PlainServerMetadata, serverAddress } from './plain-server.js';
import { type ListedTool, ServerProbe } from './server-probe.js';

export interface PlainServerRegistrarOptions {
  readonly registryUrl: string;
  /** The id the server is registered under; `plain-<name>` when omitted. */
  readonly agentId?: string;
  /** Milliseconds between probes, each followed by a heartbeat while the server answers. */
  readonly intervalMs: number;
  /**
   * How long one probe may take before the server counts as down (default 5 s: a FastMCP server
   * holds its first session's set-up for about 2 s while it asks the client for capabilities).
   */
  readonly probeTimeoutMs?: number;
  /** Bearer credential for a registry with trust on. */
  readonly credential?: string;
  readonly logger: Logger;
}

/** A registrar at work; `stop()` unregisters the server. */
export interface PlainServerRegistrar {
  /** Whether the server is registered right now (it answered the last probe). */
  readonly registered: boolean;
  /** Resolves after the next probe and what followed it (register, heartbeat or unregister). */
  nextRound(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Registers a plain MCP server with the registry on its behalf and keeps it there only while it
 * answers: every interval, `tools/list` through the SDK client, then a heartbeat. When the probe
 * fails the server is unregistered at once, rather than left to go stale, so consumers are
 * rewired to other providers within one interval; it is registered again when it answers.
 */
export function startPlainServerRegistrar(
  server: PlainServerMetadata,
  options: PlainServerRegistrarOptions,
): PlainServerRegistrar {
  const agentId = options.agentId ?? `plain-${server.name}`;
  const logger = options.logger.child({ plain_server: server.name, agent_id: agentId });
  const client = new RegistryClient(options.registryUrl, {
    ...(options.credential === undefined ? {} : { credential: options.credential }),
  });
  const probe = new ServerProbe(server.url, options.probeTimeoutMs ?? 5_000);
  let registered = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];
  let round: Promise<void> = Promise.resolve();

  const runRound = async () => {
    let tools: readonly ListedTool[];
    try {
      tools = await probe.listTools();
    } catch (error) {
      if (registered) {
        registered = false;
        logger.warn({ err: error }, 'plain server stopped answering; unregistered');
        await client.unregister(agentId).catch(() => undefined);
      }
      return;
    }
    try {
      if (registered) {
        const status = await client.heartbeat(agentId);
        if (status === 200 || status === 202) return;
      }
      await client.register(plainRegistrationBody(agentId, server, tools));
      if (!registered) logger.info({ url: server.url }, 'plain server registered');
      registered = true;
    } catch (error) {
      logger.warn({ err: error }, 'registry unreachable; will retry');
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound().finally(() => {
        for (const wake of waiters.splice(0)) wake();
        schedule(options.intervalMs);
      });
    }, delayMs);
  };
  schedule(0);

  return {
    get registered() {
      return registered;
    },
    nextRound: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await round;
      for (const wake of waiters.splice(0)) wake();
      waiters = [];
      if (registered) await client.unregister(agentId).catch(() => undefined);
      registered = false;
      await Promise.allSettled([probe.close(), client.close()]);
      logger.info('plain server registrar stopped');
    },
  };
}

/**
 * The registration of a plain server: its declared tools, plus (with `discover`) every other
 * tool it lists, each as the capability of its own name with the listed schemas.
 */
export function plainRegistrationBody(
  agentId: string,
  server: PlainServerMetadata,
  listed: readonly ListedTool[],
): RegistrationBody {
  const declared = new Set(server.tools.map((tool) => tool.name));
  const discovered: ToolMetadata[] = server.discover
    ? listed
        .filter((tool) => !declared.has(tool.name))
        .map((tool) => ({
          name: tool.name,
          capability: tool.name,
          version: server.version,
          tags: [],
          ...(tool.description === undefined ? {} : { description: tool.description }),
          inputSchema: tool.inputSchema,
          ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
          kwargs: {},
          dependencies: [],
        }))
    : [];
  return registrationBody(
    agentId,
    {
      name: server.name,
      version: server.version,
      ...(server.description === undefined ? {} : { description: server.description }),
      namespace: server.namespace,
      port: 0,
      tools: [...server.tools, ...discovered],
      resources: [],
      prompts: [],
    },
    serverAddress(server.url),
  );
}
