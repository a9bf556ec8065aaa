// The synthetic mesh the load generator registers: N agents with 3 tools each, every tool
// providing its own capability and depending on one capability of another agent. Agents
// 1..W (the "watchers") depend with tool 0 on agent 0's first capability and prefer providers
// tagged `primary`, so registering (or removing) a `primary` provider of that capability
// changes the resolution of all W of them at once: the watch scenario's topology change.

/** One `POST /heartbeat` body, in the wire shape of spec/registry.openapi.yaml. */
export interface AgentBody {
  agent_id: string;
  agent_type: 'mcp_agent';
  name: string;
  version: string;
  description: string;
  http_host: string;
  http_port: number;
  namespace: string;
  runtime: 'typescript';
  tools: ToolBody[];
}

interface ToolBody {
  function_name: string;
  capability: string;
  version: string;
  tags: string[];
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  kwargs: Record<string, unknown>;
  dependencies: {
    capability: string;
    version: string;
    tags: string[];
    required: boolean;
  }[];
}

export const toolsPerAgent = 3;

export interface Population {
  readonly prefix: string;
  readonly agents: readonly AgentBody[];
  /** Each agent's body, serialised once so the load loop spends no time on JSON. */
  readonly bodies: readonly string[];
  readonly ids: readonly string[];
  /** Agent ids whose tool 0 depends on the hub capability (agent 0's tool 0). */
  readonly watcherIds: readonly string[];
  /** The capability the watchers depend on. */
  readonly hubCapability: string;
}

function capabilityOf(prefix: string, agent: number, tool: number): string {
  return `${prefix}-cap-${agent}-${tool}`;
}

function tool(
  prefix: string,
  agent: number,
  index: number,
  dependencies: ToolBody['dependencies'],
  extraTags: readonly string[] = [],
): ToolBody {
  return {
    function_name: `tool_${index}`,
    capability: capabilityOf(prefix, agent, index),
    version: '1.2.0',
    tags: ['bench', `tier-${index}`, agent % 2 === 0 ? 'green' : 'blue', ...extraTags],
    description: `Looks up records of kind ${index} for agent ${agent}.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for.' },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
      },
      required: ['query'],
    },
    outputSchema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'string' } },
        total: { type: 'integer' },
      },
      required: ['items'],
    },
    kwargs: { timeout: 30, retry_count: 2, streaming: false },
    dependencies,
  };
}

function agentBody(index: number, id: string, tools: ToolBody[]): AgentBody {
  return {
    agent_id: id,
    agent_type: 'mcp_agent',
    name: id,
    version: '1.0.0',
    description: `Synthetic load-test agent number ${index}.`,
    http_host: '127.0.0.1',
    http_port: 20_000 + (index % 40_000),
    namespace: 'default',
    runtime: 'typescript',
    tools,
  };
}

/** Builds the population of `count` agents, `watchers` of which depend on the hub. */
export function makePopulation(prefix: string, count: number, watchers: number): Population {
  const watcherCount = Math.max(0, Math.min(watchers, count - 1));
  const hubCapability = capabilityOf(prefix, 0, 0);
  const agents: AgentBody[] = [];
  for (let agent = 0; agent < count; agent++) {
    const tools: ToolBody[] = [];
    for (let index = 0; index < toolsPerAgent; index++) {
      const watchesHub = index === 0 && agent >= 1 && agent <= watcherCount;
      tools.push(
        tool(prefix, agent, index, [
          {
            capability: watchesHub
              ? hubCapability
              : capabilityOf(prefix, (agent + 1 + index) % count, index),
            version: '>=1.0.0',
            tags: watchesHub ? ['bench', '+primary'] : ['bench'],
            required: false,
          },
        ]),
      );
    }
    agents.push(agentBody(agent, `${prefix}-agent-${agent}`, tools));
  }
  return {
    prefix,
    agents,
    bodies: agents.map((agent) => JSON.stringify(agent)),
    ids: agents.map((agent) => agent.agent_id),
    watcherIds: agents.slice(1, 1 + watcherCount).map((agent) => agent.agent_id),
    hubCapability,
  };
}

/**
 * A provider of the hub capability tagged `primary`: registering it makes it every watcher's
 * best choice; removing it moves them back to agent 0.
 */
export function primaryHubBody(population: Population, round: number): AgentBody {
  const id = `${population.prefix}-hub-primary-${round}`;
  const hub = tool(population.prefix, 0, 0, [], ['primary']);
  return agentBody(39_999 - (round % 1000), id, [hub]);
}

/**
 * What a registry answers to one agent's full heartbeat (3 tools, one resolved dependency with
 * one candidate each), for the HTTP-floor server to send as its fixed answer.
 */
export function typicalResponse(population: Population): string {
  const agent = population.agents[Math.min(1 + 100, population.agents.length - 1)] as AgentBody;
  const resolved: Record<string, unknown[]> = {};
  for (const entry of agent.tools) {
    const dependency = entry.dependencies[0] as ToolBody['dependencies'][number];
    const provider = {
      agent_id: `${population.prefix}-agent-2`,
      function_name: entry.function_name,
      endpoint: 'http://127.0.0.1:20002',
      capability: dependency.capability,
    };
    resolved[entry.function_name] = [
      {
        ...provider,
        status: 'available',
        kwargs: entry.kwargs,
        candidates: [
          { ...provider, version: '1.2.0', tags: entry.tags, kwargs: entry.kwargs, score: 1 },
        ],
      },
    ];
  }
  return JSON.stringify({
    status: 'success',
    timestamp: new Date(0).toISOString(),
    message: 'Heartbeat received',
    agent_id: agent.agent_id,
    dependencies_resolved: resolved,
    revision: 1001,
  });
}
