import { type CapabilityProxy, handlerContext, type ToolContext } from '@mcp-mesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InventoryListInput,
  InventoryListOutput,
} from './generated/proxies/inventory-list.js';
import inventory from './handlers/inventory.js';
import stockReporter from './handlers/stock-reporter.js';
import { startInventoryService } from './rest-server.js';

// The example in one process: the REST service on loopback, the inventory agent's generated
// REST bodies calling it (base URL from INVENTORY_BASE_URL, read at the first call), and
// stock-reporter calling inventory_list through a proxy the way the runtime wires it.
let service: Awaited<ReturnType<typeof startInventoryService>>;
const saved = process.env.INVENTORY_BASE_URL;

beforeAll(async () => {
  service = await startInventoryService();
  process.env.INVENTORY_BASE_URL = service.baseUrl;
});

afterAll(async () => {
  if (saved === undefined) delete process.env.INVENTORY_BASE_URL;
  else process.env.INVENTORY_BASE_URL = saved;
  await service?.close();
});

function context(): ToolContext {
  return handlerContext({ agentId: 'openapi-example-test' });
}

function inventoryList(): CapabilityProxy<InventoryListInput, InventoryListOutput> {
  return {
    capability: 'inventory_list',
    call: async (input) => inventory.handlers.tools.listItems(input, {}, context()),
    stream: () => {
      throw new Error('listItems does not stream');
    },
  };
}

describe('openapi example', () => {
  it('runs the REST operations from the generated bodies, a 404 as an error', async () => {
    const tools = inventory.handlers.tools;
    const added = await tools.addItem({ body: { name: 'nails', quantity: 4 } }, {}, context());
    expect(added).toMatchObject({ name: 'nails', quantity: 4, tags: [] });
    expect(await tools.getItem({ itemId: added.id, 'X-Request-Id': 'r1' }, {}, context())).toEqual(
      added,
    );
    await expect(tools.getItem({ itemId: 'nope' }, {}, context())).rejects.toThrow(
      'GET /items/{itemId} answered 404: {"error":"no such item"}',
    );
    expect(await tools.removeItem({ itemId: added.id }, {}, context())).toBe('204 No Content');
  });

  it('reports low stock through the inventory_list capability', async () => {
    const result = await stockReporter.handlers.tools.low_stock(
      { below: 5 },
      { inventoryList: inventoryList() },
      context(),
    );
    expect(result.items).toEqual([
      { name: 'hinges', quantity: 3 },
      { name: 'paint', quantity: 2 },
    ]);
  });
});
