import { formatTable } from '../output/table.js';
import type { AgentInfo } from './registry-types.js';

/**
 * The agents a name given on the command line means: the agent with exactly that id; else
 * every agent with exactly that name (the instances of one agent); else every agent whose id or
 * name contains it, ignoring case.
 */
export function matchAgents(agents: readonly AgentInfo[], query: string): AgentInfo[] {
  const byId = agents.filter((agent) => agent.id === query);
  if (byId.length > 0) return byId;
  const byName = agents.filter((agent) => agent.name === query);
  if (byName.length > 0) return byName;
  const needle = query.toLowerCase();
  return agents.filter(
    (agent) => agent.id.toLowerCase().includes(needle) || agent.name.toLowerCase().includes(needle),
  );
}

/** Exactly one agent for `query`, or an error that lists what matched (or says nothing did). */
export function matchOneAgent(
  agents: readonly AgentInfo[],
  query: string,
  registryUrl: string,
): AgentInfo {
  const matches = matchAgents(agents, query);
  const [only] = matches;
  if (only && matches.length === 1) return only;
  if (matches.length === 0) throw noAgentMatches(agents, query, registryUrl);
  throw new Error(
    `"${query}" matches ${matches.length} agents; give more of the id:\n${listAgents(matches).join('\n')}`,
  );
}

/** Agents as aligned lines (id, name, status) for an error message. */
export function listAgents(agents: readonly AgentInfo[]): string[] {
  return formatTable(
    agents.map((agent) => [agent.id, agent.name, agent.status]),
    undefined,
    { indent: 2 },
  );
}

/** The error for a name that matches no agent, naming the agents there are. */
export function noAgentMatches(
  agents: readonly AgentInfo[],
  query: string,
  registryUrl: string,
): Error {
  if (agents.length === 0) {
    return new Error(
      `no agent matches "${query}": the registry at ${registryUrl} has no agents; start some with meshctl start`,
    );
  }
  const known = agents.map((agent) => agent.id);
  const shown = known.length > 8 ? `${known.slice(0, 8).join(', ')}, …` : known.join(', ');
  return new Error(
    `no agent matches "${query}" at ${registryUrl} (agents: ${shown}); see meshctl list --all`,
  );
}
