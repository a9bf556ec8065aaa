// `npm run demo:openapi`: a REST service joins the mesh with no hand-written glue. Starts the
// inventory REST service (plain node:http), a registry, the agent generated from
// inventory.openapi.yaml (its tool bodies call the service) and stock-reporter, a YAML-spec
// agent that depends on the inventory's `inventory_list` capability; calls across the mesh.
import { MeshProcesses, mcpClient, runDemo, until } from '../support/local-mesh.js';
import { startInventoryService } from './rest-server.js';

const mesh = new MeshProcesses();
let service: Awaited<ReturnType<typeof startInventoryService>> | undefined;

interface AgentsAnswer {
  agents: { name: string; endpoint: string; dependencies_resolved: number }[];
}

async function agents(registryUrl: string): Promise<AgentsAnswer['agents']> {
  const response = await fetch(`${registryUrl}/agents`);
  return ((await response.json()) as AgentsAnswer).agents;
}

async function main(): Promise<void> {
  service = await startInventoryService();
  console.log(
    `1. The inventory REST service runs at ${service.baseUrl} (it knows nothing of MCP).`,
  );
  const registryUrl = await mesh.startRegistry();
  console.log(`2. A registry serves at ${registryUrl}.`);
  console.log(
    '3. Starting agent inventory (generated from inventory.openapi.yaml) and stock-reporter.',
  );
  mesh.startAgent('examples/openapi/handlers/inventory.ts', {
    INVENTORY_BASE_URL: service.baseUrl,
  });
  mesh.startAgent('examples/openapi/handlers/stock-reporter.ts');
  const [inventory, reporter] = await until('both agents wired', async () => {
    const found = await agents(registryUrl);
    const inventory = found.find((agent) => agent.name === 'inventory');
    const reporter = found.find((agent) => agent.name === 'stock-reporter');
    return inventory && reporter?.dependencies_resolved === 1 ? [inventory, reporter] : undefined;
  });

  const direct = await mcpClient(inventory.endpoint);
  try {
    const tools = await direct.listTools();
    console.log(`4. inventory's MCP tools: ${tools.tools.map((tool) => tool.name).join(', ')}`);
    const added = await direct.callTool({
      name: 'addItem',
      arguments: { body: { name: 'screws', quantity: 1, tags: ['hardware'] } },
    });
    console.log(`5. addItem -> POST /api/items: ${JSON.stringify(added.structuredContent)}`);
    const missing = await direct.callTool({ name: 'getItem', arguments: { itemId: 'nope' } });
    const text = (missing.content as { type: string; text?: string }[])[0]?.text;
    console.log(`6. getItem of an unknown id -> 404 becomes a tool error: ${text}`);
  } finally {
    await direct.close();
  }

  const client = await mcpClient(reporter.endpoint);
  try {
    const low = await client.callTool({ name: 'low_stock', arguments: { below: 5 } });
    console.log(
      `7. low_stock on stock-reporter (which calls inventory_list across the mesh): ${JSON.stringify(low.structuredContent)}`,
    );
  } finally {
    await client.close();
  }
  console.log('8. Done: stopping everything.');
}

await runDemo(main, async () => {
  await mesh.stopAll();
  await service?.close();
});
