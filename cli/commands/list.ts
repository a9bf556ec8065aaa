import type { Command } from 'commander';
import { createStyle, type Style, wantsColor } from '../output/style.js';
import { formatTable, listCell } from '../output/table.js';
import { age, ago } from '../output/time.js';
import { RegistryClient } from '../registry/registry-client.js';
import type { AgentInfo, CapabilityInfo } from '../registry/registry-types.js';
import { addRegistryOptions, registryUrlFrom } from '../registry/registry-url.js';

interface ListFlags {
  registryUrl?: string;
  json?: boolean;
  all?: boolean;
  tools?: boolean;
}

export function registerList(program: Command): void {
  addRegistryOptions(
    program
      .command('list')
      .description('list the agents in the registry: health, dependencies, capabilities, endpoint'),
  )
    .option('--all', 'include unhealthy agents (by default only healthy and degraded ones)')
    .option('--tools', 'add one line per tool: capability@version [tags], available or why not')
    .action(async (flags: ListFlags) => {
      const registryUrl = registryUrlFrom(flags.registryUrl);
      const answer = await new RegistryClient(registryUrl).agentsResponse();
      const shown = shownAgents(answer.agents, flags.all === true);
      if (flags.json) {
        console.log(JSON.stringify({ ...answer, agents: shown, count: shown.length }, null, 2));
        return;
      }
      const lines = formatAgentList(shown, {
        tools: flags.tools === true,
        style: createStyle(wantsColor(process.stdout)),
      });
      const hidden = answer.agents.length - shown.length;
      if (shown.length === 0) {
        lines.push(
          answer.agents.length === 0
            ? `no agents registered at ${registryUrl}; start some with meshctl start`
            : `no healthy agents at ${registryUrl}`,
        );
      }
      if (hidden > 0) {
        lines.push(
          `(${hidden} unhealthy agent${hidden === 1 ? '' : 's'} not shown; meshctl list --all shows ${hidden === 1 ? 'it' : 'them'})`,
        );
      }
      console.log(lines.join('\n'));
    });
}

/** Agents a plain `meshctl list` shows: those still serving (healthy or degraded), or all. */
export function shownAgents(agents: readonly AgentInfo[], all: boolean): AgentInfo[] {
  return all
    ? [...agents]
    : agents.filter((agent) => agent.status === 'healthy' || agent.status === 'degraded');
}

export interface AgentListOptions {
  /** One extra line per tool under its agent. */
  readonly tools?: boolean;
  readonly style?: Style;
  /** The time ages are measured from; now unless told. */
  readonly now?: number;
}

/** The `meshctl list` table, one line per entry; empty when there are no agents. */
export function formatAgentList(
  agents: readonly AgentInfo[],
  options: AgentListOptions = {},
): string[] {
  if (agents.length === 0) return [];
  const style = options.style ?? createStyle(false);
  const now = options.now ?? Date.now();
  const header = ['NAME', 'ID', 'STATUS', 'DEPS', 'CAPABILITIES', 'ENDPOINT', 'AGE', 'LAST SEEN'];
  const rows = agents.map((agent) => [
    agent.name,
    agent.id,
    style.status(agent.status),
    `${agent.dependencies_resolved}/${agent.total_dependencies}`,
    listCell(unique(agent.capabilities.map((capability) => capability.name))),
    agent.endpoint === '' ? '-' : agent.endpoint,
    age(agent.created_at, now),
    ago(agent.last_seen, now),
  ]);
  const [head = '', ...agentLines] = formatTable(rows, header);
  if (!options.tools) return [style.bold(head), ...agentLines];

  // Tool lines are aligned with each other across the whole list, indented under their agent.
  const toolRows = agents.map((agent) =>
    agent.capabilities.map((capability) => toolRow(agent, capability, style)),
  );
  const toolLines = formatTable(toolRows.flat(), undefined, { indent: 2 });
  const lines = [style.bold(head)];
  let next = 0;
  agents.forEach((agent, index) => {
    lines.push(agentLines[index] ?? '');
    const count = agent.capabilities.length;
    if (count === 0) lines.push(style.dim('  (no tools)'));
    lines.push(...toolLines.slice(next, next + count));
    next += count;
  });
  return lines;
}

/** One tool of an agent: name, capability@version [tags], its dependencies, availability. */
function toolRow(agent: AgentInfo, capability: CapabilityInfo, style: Style): string[] {
  const dependencies = (agent.dependency_resolutions ?? []).filter(
    (resolution) => resolution.function_name === capability.function_name,
  );
  const resolved = dependencies.filter((resolution) => resolution.status === 'available').length;
  const tags = capability.tags?.length ? ` [${capability.tags.join(', ')}]` : '';
  return [
    capability.function_name,
    `${capability.name}@${capability.version}${tags}`,
    dependencies.length === 0 ? '' : `deps ${resolved}/${dependencies.length}`,
    availability(capability, style),
  ];
}

/** `available`, or `unavailable: <why>`. */
export function availability(
  capability: CapabilityInfo,
  style: Style = createStyle(false),
): string {
  if (capability.available !== false) return style.status('available');
  const reason = capability.unavailable_reason ? `: ${capability.unavailable_reason}` : '';
  return style.red(`unavailable${reason}`);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
