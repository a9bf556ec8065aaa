// The handler bodies of agent pet-reporter. Scaffolded once by mcp-mesh; this file is yours.
import { definePetReporter } from '../generated/agents/pet-reporter.js';

export default definePetReporter({
  tools: {
    // Three REST operations of two public documents, each behind a generated agent.
    async describe_pets({ id }, { findPetById, getPetById, getInventory }, context) {
      if (!findPetById || !getPetById || !getInventory) throw new Error('a store is not wired yet');
      const options = { signal: context.signal };
      const [v30, v31, stock] = await Promise.all([
        findPetById.call({ id }, options),
        getPetById.call({ petId: id }, options) as Promise<{ name: string }>,
        getInventory.call({}, options) as Promise<Record<string, number>>,
      ]);
      return { v30: v30.name, v31: v31.name, available: stock.available ?? 0 };
    },
    async missing_pet(_input, { findPetById }, context) {
      if (!findPetById) throw new Error('the 3.0 store is not wired yet');
      try {
        await findPetById.call({ id: 404 }, { signal: context.signal });
        return { error: 'none' };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
  },
});
