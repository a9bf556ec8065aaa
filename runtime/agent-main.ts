#!/usr/bin/env node
// Runs the agent a handler module exports by default: what `meshctl start` does for each agent,
// and how a compiled agent runs in production, with plain Node:
//   npx mcp-mesh-agent dist/handlers/greeter.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AgentDefinition } from './agent/define-agent.js';
import { runAgent } from './run-agent.js';

const file = process.argv[2];
if (!file) {
  console.error(
    'usage: mcp-mesh-agent <handler-module>  (its default export is the agent, from define<Agent>())',
  );
  process.exit(2);
}
const module = (await import(pathToFileURL(resolve(file)).href)) as { default?: AgentDefinition };
if (!module.default?.metadata) {
  console.error(`${file} has no default export made by define<Agent>() or defineAgent()`);
  process.exit(2);
}
const agent = await runAgent(module.default).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    code === 'EADDRINUSE'
      ? `cannot start agent ${module.default?.metadata.name}: ${message}; set MCP_MESH_HTTP_PORT to a free port, or 0 for any`
      : `cannot start agent ${module.default?.metadata.name}: ${message}`,
  );
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void agent.stop().then(() => process.exit(0)));
}
