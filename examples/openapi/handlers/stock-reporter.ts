// The handler bodies of agent stock-reporter. Scaffolded once by mcp-mesh; this file is yours.
import { defineStockReporter } from '../generated/agents/stock-reporter.js';

export default defineStockReporter({
  tools: {
    // inventory_list is a REST operation behind the inventory agent; here it is just a proxy.
    async low_stock({ below = 5 }, { inventoryList }, context) {
      if (!inventoryList) throw new Error('no inventory_list provider is reachable yet');
      const { result } = await inventoryList.call({ limit: 100 }, { signal: context.signal });
      const items = result
        .filter((item) => item.quantity < below)
        .map(({ name, quantity }) => ({ name, quantity }));
      return { items };
    },
  },
});
