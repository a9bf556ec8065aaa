import type { AgentMetadata, DependencyAlternative, DependencyMetadata } from '../metadata.js';

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
    /** A dependency, or the alternatives of one position in order of preference. */
    dependencies: (DependencyBody | DependencyBody[])[];
  }[];
}

/** One dependency, or one alternative of a position, as `POST /heartbeat` carries it. */
export interface DependencyBody {
  capability: string;
  version: string;
  tags: (string | string[])[];
  namespace?: string;
  required: boolean;
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
      dependencies: tool.dependencies.map(dependencyBody),
    })),
  };
}

// The predecessor's form of alternatives: a list of dependencies in one position. Each says
// `required`, since the registry counts a position required when any of its alternatives is.
function dependencyBody(dependency: DependencyMetadata): DependencyBody | DependencyBody[] {
  const body = (alternative: DependencyAlternative): DependencyBody => ({
    capability: alternative.capability,
    version: alternative.version,
    tags: alternative.tags.map((tag) => (typeof tag === 'string' ? tag : [...tag])),
    ...(alternative.namespace === undefined ? {} : { namespace: alternative.namespace }),
    required: dependency.required,
  });
  if (!dependency.fallbacks || dependency.fallbacks.length === 0) return body(dependency);
  return [body(dependency), ...dependency.fallbacks.map(body)];
}
