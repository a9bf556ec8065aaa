// The handler bodies of agent inventory. Scaffolded once by mcp-mesh; this file is yours.
import { defineInventory } from '../generated/agents/inventory.js';
import { inventoryRestTools } from '../generated/rest/inventory.js';

export default defineInventory({
  tools: {
    // Every tool calls the REST service; to replace one, write its body after this line.
    ...inventoryRestTools(),
  },
});
