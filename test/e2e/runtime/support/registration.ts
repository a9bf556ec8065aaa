/**
 * Registers an agent's tools at an address of the test's choosing (a fault proxy in front of
 * the agent), the way the runtime would, and keeps the registration alive with fast
 * heartbeats until the test ends.
 */
import type { AgentDefinition } from '../../../../runtime/agent/define-agent.js';
import { registrationBody } from '../../../../runtime/lifecycle/registration-body.js';
import type { ToolKwargs } from '../../../../runtime/metadata.js';
import { keepAlive, type RegistrationBody } from '../../support/registry-client.js';
import type { Cleanup } from './cleanup.js';
import type { TestRegistry } from './mesh.js';

/**
 * Registers `definition` as agent `agentId` at `127.0.0.1:port`, with `kwargs` merged into
 * every tool's own (what callers will apply); heartbeats every 250 ms; unregisters after the
 * test.
 */
export async function registerAt(
  cleanup: Cleanup,
  registry: TestRegistry,
  agentId: string,
  definition: AgentDefinition,
  port: number,
  kwargs: ToolKwargs = {},
): Promise<void> {
  const body = registrationBody(agentId, definition.metadata, { host: '127.0.0.1', port });
  for (const tool of body.tools) tool.kwargs = { ...tool.kwargs, ...kwargs };
  await registry.client.register(body as unknown as RegistrationBody);
  const heartbeat = keepAlive(registry.client, agentId, 250);
  cleanup.defer(heartbeat, async (running) => {
    running.stop();
    await registry.client.unregister(agentId).catch(() => undefined);
  });
}
