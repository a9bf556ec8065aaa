import type { Command } from 'commander';
import { createStyle, type Style, wantsColor } from '../output/style.js';
import { formatTable } from '../output/table.js';
import { age, ago, shortTimestamp } from '../output/time.js';
import { matchOneAgent } from '../registry/match-agent.js';
import { RegistryClient } from '../registry/registry-client.js';
import type { DependencyTag } from '../registry/registry-types.js';
import { addRegistryOptions, registryUrlFrom } from '../registry/registry-url.js';
import { availability } from './list.js';
import { type AgentStatusReport, type DependencyReport, explainAgent } from './status-report.js';

interface StatusFlags {
  registryUrl?: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  addRegistryOptions(
    program
      .command('status')
      .description(
        'one agent in detail: each tool, each dependency, the provider it resolved to and why (or why not)',
      )
      .argument('<agent>', 'agent id or name, or part of one'),
  ).action(async (query: string, flags: StatusFlags) => {
    const registryUrl = registryUrlFrom(flags.registryUrl);
    const client = new RegistryClient(registryUrl);
    const agents = await client.listAgents();
    const agent = matchOneAgent(agents, query, registryUrl);
    const report =
      (agent.dependency_resolutions ?? []).length === 0
        ? explainAgent(agent, { mesh: agents })
        : explainAgent(agent, {
            mesh: agents,
            // The explanation is the current resolution; the events only date its choice.
            dependencies: (await client.agentDependencies(agent.id)).dependencies,
            events: (
              await Promise.all(
                (['dependency_resolved', 'dependency_unresolved'] as const).map((type) =>
                  client.listEvents({ agentId: agent.id, type, limit: 1000 }),
                ),
              )
            ).flat(),
          });
    if (flags.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    console.log(
      formatAgentStatus(report, { style: createStyle(wantsColor(process.stdout)) }).join('\n'),
    );
  });
}

export interface StatusFormatOptions {
  readonly style?: Style;
  readonly now?: number;
}

/** The `meshctl status` report for people. */
export function formatAgentStatus(
  report: AgentStatusReport,
  options: StatusFormatOptions = {},
): string[] {
  const style = options.style ?? createStyle(false);
  const now = options.now ?? Date.now();
  const { agent } = report;
  const lines = [`${style.bold(agent.name)}  ${agent.id}  ${style.status(agent.status)}`];
  const facts: string[][] = [
    ['endpoint', agent.endpoint === '' ? '- (announced no port)' : agent.endpoint],
    [
      'version',
      [agent.version, agent.namespace && `namespace ${agent.namespace}`, agent.runtime]
        .filter(Boolean)
        .join(', ') || '-',
    ],
    [
      'up',
      agent.created_at
        ? `${age(agent.created_at, now)} (registered ${shortTimestamp(agent.created_at)}), last seen ${ago(agent.last_seen, now)}`
        : `last seen ${ago(agent.last_seen, now)}`,
    ],
    ['dependencies', `${agent.dependencies_resolved}/${agent.total_dependencies} resolved`],
  ];
  lines.push(...formatTable(facts, undefined, { indent: 2 }));
  if (report.tools.length === 0) lines.push('', style.dim('no tools'));
  for (const tool of report.tools) {
    const tags = tool.tags.length > 0 ? ` [${tool.tags.join(', ')}]` : '';
    lines.push(
      '',
      `${style.bold(`tool ${tool.function_name}`)}  ${tool.capability}@${tool.version}${tags}  ${availability(
        {
          name: tool.capability,
          version: tool.version,
          function_name: tool.function_name,
          available: tool.available,
          ...(tool.unavailable_reason ? { unavailable_reason: tool.unavailable_reason } : {}),
        },
        style,
      )}`,
    );
    if (tool.dependencies.length === 0) lines.push(style.dim('  no dependencies'));
    for (const dependency of tool.dependencies)
      lines.push(...formatDependency(dependency, style, now));
  }
  return lines;
}

function formatDependency(dependency: DependencyReport, style: Style, now: number): string[] {
  const wanted = [
    dependency.capability,
    dependency.version ?? '',
    dependency.tags.length > 0 ? `[${dependency.tags.map(formatTag).join(', ')}]` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const rows: string[][] = [];
  if (dependency.provider) {
    rows.push([
      style.status('resolved'),
      `${dependency.provider.agent_id} → ${dependency.provider.tool}${dependency.provider.endpoint ? ` at ${dependency.provider.endpoint}` : ''}`,
    ]);
  } else {
    rows.push([style.red(dependency.status), 'no provider']);
  }
  const why = whyLines(dependency);
  why.forEach((line, index) => {
    rows.push([index === 0 ? 'why' : '', line]);
  });
  const decidedAt = dependency.decision?.decided_at;
  if (decidedAt) rows.push(['decided', `${shortTimestamp(decidedAt)} (${ago(decidedAt, now)})`]);
  return [
    `  dependency ${dependency.position}: ${wanted}`,
    ...formatTable(rows, undefined, { indent: 4 }),
  ];
}

/** The explanation of one dependency's outcome, one line per fact. */
export function whyLines(dependency: DependencyReport): string[] {
  const decision = dependency.decision;
  const lines: string[] = [];
  if (!decision) {
    lines.push('the registry did not explain this position; run meshctl status again');
  } else {
    const count = decision.candidates.length;
    if (count > 0) {
      const best = decision.candidates
        .slice(0, 5)
        .map(
          (candidate) =>
            `${candidate.provider}${candidate.version ? ` ${candidate.version}` : ''}${candidate.score === undefined ? '' : ` (score ${candidate.score})`}`,
        );
      lines.push(
        `${count} candidate${count === 1 ? '' : 's'}, best first: ${best.join(', ')}${count > 5 ? ', …' : ''}`,
      );
    }
    // The registry's generic "no healthy provider" is said better below, with what to do.
    const reason = decision.reason?.startsWith('no healthy provider') ? undefined : decision.reason;
    if (reason) lines.push(reason);
    for (const rejection of decision.rejected) {
      lines.push(`rejected ${rejection.agent_id}.${rejection.function_name}: ${rejection.reason}`);
    }
    if (decision.delivered) {
      lines.push(
        `the agent has not picked this up yet: it was last given ${decision.delivered.chosen || 'no provider'} (${shortTimestamp(decision.delivered.at)}) and asks again on its next heartbeat`,
      );
    }
  }
  for (const entry of dependency.unusable) {
    lines.push(`not considered ${entry.agent_id}.${entry.function_name}: ${entry.reason}`);
  }
  if (
    !dependency.provider &&
    decision &&
    decision.candidates.length === 0 &&
    decision.rejected.length === 0 &&
    dependency.unusable.length === 0 &&
    !decision.reason?.includes('not a semver range')
  ) {
    lines.push(`no agent offers ${dependency.capability}; start one that does`);
  }
  return lines;
}

function formatTag(tag: DependencyTag): string {
  return Array.isArray(tag) ? `(${tag.join(' | ')})` : tag;
}
