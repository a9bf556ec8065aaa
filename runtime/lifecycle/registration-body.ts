import type { AgentMetadata } from '../metadata.js';

/** What the runtime tells the registry about itself: the body of `POST /heartbeat`. */
export interface RegistrationBody {
  agent_id: string;
  agent_type: 'mcp_agent';
  name: string;
  version: string;
  description?: string;
  http_host: string;
  http_port: number;
  namespace: string;
  runtime: 'typescript';
  tools: {
    function_name: string;
    capability: string;
    version: string;
    tags: string[];
    description?: string;
    inputSchema: Record<string, unknown>;
    outputSchema?: Record<string, unknown>;
    kwargs: Record<string, unknown>;
    dependencies: {
      capability: string;
      version: string;
      tags: string[];
      namespace?: string;
      required: boolean;
    }[];
  }[];
}

/** One batched registration with every tool of the agent, at the address it really listens on. */
export function registrationBody(
  agentId: string,
  metadata: AgentMetadata,
  address: { host: string; port: number },
): RegistrationBody {
  return {
    agent_id: agentId,
    agent_type: 'mcp_agent',
    name: metadata.name,
    version: metadata.version,
    ...(metadata.description === undefined ? {} : { description: metadata.description }),
    http_host: address.host,
    http_port: address.port,
    namespace: metadata.namespace,
    runtime: 'typescript',
    tools: metadata.tools.map((tool) => ({
      function_name: tool.name,
      capability: tool.capability,
      version: tool.version,
      tags: [...tool.tags],
      ...(tool.description === undefined ? {} : { description: tool.description }),
      inputSchema: { ...tool.inputSchema },
      ...(tool.outputSchema === undefined ? {} : { outputSchema: { ...tool.outputSchema } }),
      kwargs: { ...tool.kwargs },
      dependencies: tool.dependencies.map((dependency) => ({
        capability: dependency.capability,
        version: dependency.version,
        tags: [...dependency.tags],
        ...(dependency.namespace === undefined ? {} : { namespace: dependency.namespace }),
        required: dependency.required,
      })),
    })),
  };
}
