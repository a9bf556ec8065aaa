// The handler bodies of agent swagger-petstore. Scaffolded once by mcp-mesh; this file is yours.
import { defineSwaggerPetstore } from '../generated/agents/swagger-petstore.js';
import { swaggerPetstoreRestTools } from '../generated/rest/swagger-petstore.js';

export default defineSwaggerPetstore({
  tools: {
    // Every tool calls the REST service; to replace one, write its body after this line.
    ...swaggerPetstoreRestTools(),
  },
});
