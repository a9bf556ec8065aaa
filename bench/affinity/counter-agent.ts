// The provider of the affinity benchmark, run as several replicas: one counter tool that keeps
// each session on one replica (session_required) and the same body without affinity.
import { defineAgent, type ToolMetadata } from '@mcp-mesh/runtime';

const counts = new Map<string, number>();

function increment(input: { session_id: string; by: number }) {
  const count = (counts.get(input.session_id) ?? 0) + input.by;
  counts.set(input.session_id, count);
  return { count };
}

function counterTool(name: string, sessionRequired: boolean): ToolMetadata {
  return {
    name,
    capability: name,
    version: '1.0.0',
    tags: [],
    inputSchema: {
      type: 'object',
      properties: { session_id: { type: 'string' }, by: { type: 'number' } },
      required: ['session_id', 'by'],
    },
    outputSchema: {
      type: 'object',
      properties: { count: { type: 'number' } },
      required: ['count'],
    },
    kwargs: { timeout: 10, session_required: sessionRequired },
    dependencies: [],
  };
}

export default defineAgent({
  metadata: {
    name: 'bench-counter',
    version: '1.0.0',
    namespace: 'default',
    port: 0,
    tools: [counterTool('increment', true), counterTool('increment_plain', false)],
    resources: [],
    prompts: [],
  },
  handlers: { tools: { increment, increment_plain: increment } },
  proxyDefaults: {},
});
