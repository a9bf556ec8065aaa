import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config.js';
import type { RegistryClient } from '../lifecycle/registry-client.js';
import type { AgentMetadata } from '../metadata.js';
import { classifyFailure } from '../proxy/classify-failure.js';
import type { McpConnections } from '../proxy/mcp-connections.js';
import { forwardToolCall } from './forward-call.js';
import { ReplicaDirectory } from './replica-directory.js';
import { SessionAffinity } from './session-affinity.js';
import { needsSessionAffinity } from './session-key.js';

/**
 * Session affinity for an agent that has `session_required`/`stateful` tools: ownership in Redis
 * (memory as the fallback), the agent's other replicas from the registry, forwards over the
 * agent's own MCP connections. Undefined for agents without such tools: they never touch Redis.
 */
export async function openSessionAffinity(
  metadata: AgentMetadata,
  config: RuntimeConfig,
  connections: McpConnections,
  registry: RegistryClient | undefined,
  logger: Logger,
): Promise<SessionAffinity | undefined> {
  const affine = metadata.tools.filter((tool) => needsSessionAffinity(tool.kwargs));
  if (affine.length === 0) return undefined;
  const log = logger.child({ component: 'session-affinity' });
  // Loaded here, not at start: agents without affinity never load the Redis client.
  const { ResilientOwnership } = await import('./resilient-ownership.js');
  const ownership = await ResilientOwnership.open({
    redisUrl: config.redisUrl,
    keyPrefix: `${config.redisKeyPrefix}session:${metadata.name}:`,
    ttlMs: config.sessionTtlMs,
    logger: log,
  });
  // Replicas share every capability; listing the providers of one of them finds them all.
  const capability = affine[0]!.capability;
  const directory = registry
    ? new ReplicaDirectory(metadata.name, config.agentId, () =>
        registry.healthyProviders(capability),
      )
    : undefined;
  return new SessionAffinity({
    selfId: config.agentId,
    ownership,
    directory,
    forward: (replica, call) => forwardToolCall(connections, replica, call),
    unreachable: (error, replica) => {
      const failure = classifyFailure(error, capability, replica.agentId);
      if (failure.connectionFailed) connections.discard(replica.endpoint);
      // Refused, reset, or a 502/503/504 from a replica going away: the call did not run there.
      return failure.connectionFailed || (failure.providerFault && failure.error.retryable);
    },
    authToken: config.authToken,
    ttlMs: config.sessionTtlMs,
    logger: log,
  });
}
