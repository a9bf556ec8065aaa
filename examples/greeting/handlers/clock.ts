// The handler bodies of agent clock. Scaffolded once by mcp-mesh; this file is yours.
import { defineClock } from '../generated/agents/clock.js';

export default defineClock({
  tools: {
    get_current_date() {
      return { date: new Date().toISOString().slice(0, 10) };
    },
  },
});
