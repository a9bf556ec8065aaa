// The provider of the caller-token benchmark: bench-echo's tool with auth_required. Started
// with MCP_MESH_TRUST_KEY it verifies caller tokens; without, the tool is open (no shared token).
import { defineAgent } from '@mcp-mesh/runtime';
import echo from '../proxy/echo-agent.js';

const [tool] = echo.metadata.tools;

export default defineAgent({
  ...echo,
  metadata: {
    ...echo.metadata,
    name: 'bench-guarded-echo',
    tools: [{ ...tool!, kwargs: { ...tool!.kwargs, auth_required: true } }],
  },
});
