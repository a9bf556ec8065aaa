// The handler bodies of agent greeter. Scaffolded once by mcp-mesh; this file is yours.
import { defineGreeter } from '../generated/agents/greeter.js';

export default defineGreeter({
  tools: {
    // Degrades gracefully: without a date service, or when it fails, greet without a date.
    async greet({ name }, { dateService }, context) {
      const message = `Hello, ${name}!`;
      if (!dateService) return { message };
      try {
        const { date } = await dateService.call({}, { signal: context.signal });
        return { message: `${message} Today is ${date}.`, date };
      } catch (error) {
        context.log.warn('date service failed; greeting without a date', { error: String(error) });
        return { message };
      }
    },
  },
});
