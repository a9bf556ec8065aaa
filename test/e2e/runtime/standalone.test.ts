/**
 * An agent with no registry (`MCP_MESH_REGISTRY_URL=off`: a container tried alone, a test) works
 * at once: a tool whose dependency can never be resolved runs with it `undefined` straight away,
 * instead of waiting MCP_MESH_STARTUP_WAIT for a first resolution that cannot come.
 */
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../runtime/agent/define-agent.js';
import { unique } from '../support/registry-client.js';
import { useCleanup } from './support/cleanup.js';
import { connectClient, startInProcessAgent, toolMetadata } from './support/mesh.js';

describe('a standalone agent', () => {
  const cleanup = useCleanup();

  it('calls a tool with an unresolved dependency without waiting for a registry', async () => {
    const definition = defineAgent({
      metadata: {
        name: unique('alone'),
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [toolMetadata('greet', unique('greet'), { dependencies: [unique('clock')] })],
        resources: [],
        prompts: [],
      },
      handlers: {
        tools: {
          greet: (_input: unknown, dependencies: Record<string, unknown>) => ({
            wired: Object.values(dependencies).some((proxy) => proxy !== undefined),
          }),
        },
      },
      proxyDefaults: {},
    });
    // An hour's start-up wait: were it waited for, this test would time out.
    const agent = await startInProcessAgent(cleanup, definition, undefined, {
      startupWaitMs: 3_600_000,
    });
    const client = await connectClient(cleanup, agent.url);
    const answer = await client.callTool({ name: 'greet', arguments: {} });
    expect(answer.isError ?? false).toBe(false);
    expect(answer.content).toEqual([{ type: 'text', text: JSON.stringify({ wired: false }) }]);
  });
});
