import type { Command } from 'commander';
import { createStyle, type Style, wantsColor } from '../output/style.js';
import { formatTable } from '../output/table.js';
import { age, ago, shortTimestamp } from '../output/time.js';
import { matchOneAgent } from '../registry/match-agent.js';
import { RegistryClient } from '../registry/registry-client.js';
import type {
  AgentInfo,
  DependencyResolutionInfo,
  DependencyTag,
  RegistryEventInfo,
} from '../registry/registry-types.js';
import { addRegistryOptions, registryUrlFrom } from '../registry/registry-url.js';
import { availability } from './list.js';

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
    const events =
      (agent.dependency_resolutions ?? []).length === 0
        ? []
        : (
            await Promise.all(
              (['dependency_resolved', 'dependency_unresolved'] as const).map((type) =>
                client.listEvents({ agentId: agent.id, type, limit: 1000 }),
              ),
            )
          ).flat();
    const report = explainAgent(agent, events, agents);
    if (flags.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    console.log(
      formatAgentStatus(report, { style: createStyle(wantsColor(process.stdout)) }).join('\n'),
    );
  });
}

/** A provider the registry considered for a dependency, best first. */
export interface CandidateInfo {
  /** `<agent id>.<tool>`. */
  readonly provider: string;
  readonly version?: string;
  readonly score?: number;
}

/** A provider of the right capability that was not chosen, and why. */
export interface RejectionInfo {
  readonly agent_id: string;
  readonly function_name: string;
  readonly reason: string;
}

/** Why a dependency position has its outcome, from the registry's latest decision about it. */
export interface DecisionInfo {
  readonly decided_at: string;
  readonly event_id?: number;
  /** `<agent id>.<tool>`, or empty when nothing qualified. */
  readonly chosen: string;
  readonly candidates: readonly CandidateInfo[];
  readonly rejected: readonly RejectionInfo[];
}

export interface DependencyReport {
  /** The position in the tool's dependency list, from 0. */
  readonly position: number;
  readonly capability: string;
  /** The semver range asked for; absent when no decision recorded it. */
  readonly version?: string;
  readonly tags: readonly DependencyTag[];
  readonly status: DependencyResolutionInfo['status'];
  readonly provider: {
    readonly agent_id: string;
    readonly tool: string;
    readonly endpoint: string;
  } | null;
  /** The latest recorded decision for this position; null when none is kept. */
  readonly decision: DecisionInfo | null;
  /**
   * Agents offering the capability that the registry could not consider (unhealthy, or the
   * tool unavailable), with the reason; only for positions without a provider.
   */
  readonly unusable: readonly RejectionInfo[];
}

export interface ToolReport {
  readonly function_name: string;
  readonly capability: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly available: boolean;
  readonly unavailable_reason?: string;
  readonly dependencies: readonly DependencyReport[];
}

export interface AgentStatusReport {
  readonly agent: AgentInfo;
  readonly tools: readonly ToolReport[];
}

/**
 * Joins an agent's current resolutions with the registry's latest `dependency_resolved` /
 * `dependency_unresolved` event for each tool and position (`events` in any order), and, for
 * positions without a provider, the agents of `mesh` that offer the capability but cannot be
 * used.
 */
export function explainAgent(
  agent: AgentInfo,
  events: readonly RegistryEventInfo[],
  mesh: readonly AgentInfo[] = [],
): AgentStatusReport {
  const latest = new Map<string, RegistryEventInfo>();
  for (const event of [...events].sort(newestFirst)) {
    if (event.agent_id !== agent.id || !event.function_name) continue;
    const position = Number(event.data?.position);
    const key = `${event.function_name}#${position}`;
    if (Number.isInteger(position) && !latest.has(key)) latest.set(key, event);
  }
  const positions = new Map<string, number>();
  const byTool = new Map<string, DependencyReport[]>();
  for (const resolution of agent.dependency_resolutions ?? []) {
    const position = positions.get(resolution.function_name) ?? 0;
    positions.set(resolution.function_name, position + 1);
    const event = latest.get(`${resolution.function_name}#${position}`);
    // An event about another capability predates a change of the tool's dependencies.
    const decision =
      event && event.data?.capability === resolution.capability ? decisionOf(event) : null;
    const version = typeof event?.data?.version === 'string' ? event.data.version : undefined;
    const hasProvider = Boolean(resolution.provider_agent_id);
    const report: DependencyReport = {
      position,
      capability: resolution.capability,
      ...(decision && version !== undefined ? { version } : {}),
      tags: resolution.tags ?? [],
      status: resolution.status,
      provider: hasProvider
        ? {
            agent_id: resolution.provider_agent_id ?? '',
            tool: resolution.mcp_tool ?? '',
            endpoint: resolution.endpoint ?? '',
          }
        : null,
      decision,
      unusable: hasProvider ? [] : unusableProviders(resolution.capability, mesh, decision),
    };
    byTool.set(resolution.function_name, [...(byTool.get(resolution.function_name) ?? []), report]);
  }
  return {
    agent,
    tools: agent.capabilities.map((capability) => ({
      function_name: capability.function_name,
      capability: capability.name,
      version: capability.version,
      tags: capability.tags ?? [],
      available: capability.available !== false,
      ...(capability.unavailable_reason
        ? { unavailable_reason: capability.unavailable_reason }
        : {}),
      dependencies: byTool.get(capability.function_name) ?? [],
    })),
  };
}

function newestFirst(a: RegistryEventInfo, b: RegistryEventInfo): number {
  if (a.event_id !== undefined && b.event_id !== undefined) return b.event_id - a.event_id;
  return Date.parse(b.timestamp) - Date.parse(a.timestamp);
}

function decisionOf(event: RegistryEventInfo): DecisionInfo {
  const data = event.data ?? {};
  const candidates = Array.isArray(data.candidates) ? data.candidates : [];
  const rejected = Array.isArray(data.rejected) ? data.rejected : [];
  return {
    decided_at: event.timestamp,
    ...(event.event_id === undefined ? {} : { event_id: event.event_id }),
    chosen: typeof data.chosen === 'string' ? data.chosen : '',
    candidates: candidates
      .filter(
        (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
      )
      .map((entry) => ({
        provider: String(entry.provider ?? ''),
        ...(typeof entry.version === 'string' ? { version: entry.version } : {}),
        ...(typeof entry.score === 'number' ? { score: entry.score } : {}),
      })),
    rejected: rejected
      .filter(
        (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
      )
      .map((entry) => ({
        agent_id: String(entry.agentId ?? entry.agent_id ?? ''),
        function_name: String(entry.functionName ?? entry.function_name ?? ''),
        reason: String(entry.reason ?? ''),
      })),
  };
}

/** Tools that provide `capability` but that resolution never considers, with the reason. */
function unusableProviders(
  capability: string,
  mesh: readonly AgentInfo[],
  decision: DecisionInfo | null,
): RejectionInfo[] {
  const mentioned = new Set([
    ...(decision?.candidates.map((candidate) => candidate.provider) ?? []),
    ...(decision?.rejected.map((rejection) => `${rejection.agent_id}.${rejection.function_name}`) ??
      []),
  ]);
  const unusable: RejectionInfo[] = [];
  for (const agent of mesh) {
    for (const tool of agent.capabilities) {
      if (tool.name !== capability || mentioned.has(`${agent.id}.${tool.function_name}`)) continue;
      const reason =
        agent.status !== 'healthy'
          ? `agent is ${agent.status}`
          : tool.available === false
            ? `tool unavailable${tool.unavailable_reason ? `: ${tool.unavailable_reason}` : ''}`
            : undefined;
      if (reason) unusable.push({ agent_id: agent.id, function_name: tool.function_name, reason });
    }
  }
  return unusable;
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
  const decision = dependency.decision;
  if (decision) {
    rows.push([
      'decided',
      `${shortTimestamp(decision.decided_at)} (${ago(decision.decided_at, now)})`,
    ]);
  }
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
    lines.push(
      'no decision recorded (the registry records one when the outcome changes; older ones may have been trimmed)',
    );
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
    for (const rejection of decision.rejected) {
      lines.push(`rejected ${rejection.agent_id}.${rejection.function_name}: ${rejection.reason}`);
    }
    const recordedResolved = decision.chosen !== '';
    if (recordedResolved !== (dependency.provider !== null)) {
      lines.push(
        `the latest recorded decision (${recordedResolved ? `chose ${decision.chosen}` : 'unresolved'}) predates the current state`,
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
    dependency.unusable.length === 0
  ) {
    lines.push(`no agent offers ${dependency.capability}; start one that does`);
  }
  return lines;
}

function formatTag(tag: DependencyTag): string {
  return Array.isArray(tag) ? `(${tag.join(' | ')})` : tag;
}
