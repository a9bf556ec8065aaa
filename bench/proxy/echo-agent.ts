// The provider every proxy benchmark calls: one tool that answers its input as structured
// content. Defined in code (no spec), run by the compiled runtime's agent-main.
import { defineAgent } from '@mcp-mesh/runtime';

export default defineAgent({
  metadata: {
    name: 'bench-echo',
    version: '1.0.0',
    namespace: 'default',
    port: 0,
    tools: [
      {
        name: 'echo',
        capability: 'echo',
        version: '1.0.0',
        tags: [],
        inputSchema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
        outputSchema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
        kwargs: { timeout: 10 },
        dependencies: [],
      },
    ],
    resources: [],
    prompts: [],
  },
  handlers: { tools: { echo: (input: { text: string }) => ({ text: input.text }) } },
  proxyDefaults: {},
});
