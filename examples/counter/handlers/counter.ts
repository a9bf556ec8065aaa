// The handler bodies of agent counter. Scaffolded once by mcp-mesh; this file is yours.
import { defineCounter } from '../generated/agents/counter.js';

// Counts live in this replica's memory only: session affinity is what keeps them whole.
const counts = new Map<string, number>();

export default defineCounter({
  tools: {
    increment({ session_id, by }, _dependencies, context) {
      const count = (counts.get(session_id) ?? 0) + by;
      counts.set(session_id, count);
      return { count, replica: context.agentId };
    },
  },
});
