// The handler bodies of agent tally. Scaffolded once by mcp-mesh; this file is yours.
import { defineTally } from '../generated/agents/tally.js';

export default defineTally({
  tools: {
    // The proxy sends each session to the counter replica that owns it.
    add({ session_id, by }, { counter }, context) {
      if (!counter) throw new Error('no counter replica is registered; start one first');
      return counter.call({ session_id, by }, { signal: context.signal });
    },
  },
});
