import type { Command } from 'commander';
import { createStyle, type Style, wantsColor } from '../output/style.js';
import { formatTable } from '../output/table.js';
import { shortTimestamp } from '../output/time.js';
import { matchAgents } from '../registry/match-agent.js';
import { RegistryClient } from '../registry/registry-client.js';
import {
  type RegistryEventInfo,
  type RegistryEventType,
  registryEventTypes,
} from '../registry/registry-types.js';
import { addRegistryOptions, registryUrlFrom } from '../registry/registry-url.js';
import { readResolutionEvent } from '../registry/resolution-event.js';
import { UsageError } from '../usage-error.js';

interface EventsFlags {
  registryUrl?: string;
  json?: boolean;
  agent?: string;
  type?: string;
  limit: string;
}

export function registerEvents(program: Command): void {
  addRegistryOptions(
    program
      .command('events')
      .description(
        "the registry's audit trail, newest first: registrations, health changes, dependency decisions",
      ),
  )
    .option(
      '--agent <agent>',
      'only events about this agent (id or name, or part of one; every instance of a name)',
    )
    .option('--type <type>', `only events of this type (${registryEventTypes.join(', ')})`)
    .option('--limit <n>', 'at most this many events, 1 to 1000', '20')
    .action(async (flags: EventsFlags) => {
      const limit = parseLimit(flags.limit);
      const type = parseEventType(flags.type);
      const registryUrl = registryUrlFrom(flags.registryUrl);
      const client = new RegistryClient(registryUrl);
      const agentIds =
        flags.agent === undefined ? [undefined] : await agentIdsFor(client, flags.agent);
      const pages = await Promise.all(
        agentIds.map((agentId) =>
          client.listEvents({
            ...(agentId === undefined ? {} : { agentId }),
            ...(type === undefined ? {} : { type }),
            limit,
          }),
        ),
      );
      const events = mergeNewestFirst(pages, limit);
      if (flags.json) {
        console.log(JSON.stringify({ events, count: events.length }, null, 2));
        return;
      }
      if (events.length === 0) {
        console.log(
          `no events${flags.agent === undefined ? '' : ` about "${flags.agent}"`}${type === undefined ? '' : ` of type ${type}`} at ${registryUrl}`,
        );
        return;
      }
      console.log(formatEvents(events, createStyle(wantsColor(process.stdout))).join('\n'));
    });
}

/** `--limit` as an integer from 1 to 1000, or a usage error. */
export function parseLimit(raw: string): number {
  const limit = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError(`--limit "${raw}" must be a whole number from 1 to 1000`);
  }
  return limit;
}

/** `--type` checked against the registry's event types, or a usage error. */
export function parseEventType(raw: string | undefined): RegistryEventType | undefined {
  if (raw === undefined) return undefined;
  if ((registryEventTypes as readonly string[]).includes(raw)) return raw as RegistryEventType;
  throw new UsageError(
    `--type "${raw}" is not an event type; use one of ${registryEventTypes.join(', ')}`,
  );
}

/**
 * The agent ids `--agent` means: those of the registered agents it matches; when none
 * matches (an agent that has left the registry), the value itself as an id.
 */
async function agentIdsFor(client: RegistryClient, query: string): Promise<string[]> {
  const matches = matchAgents(await client.listAgents(), query);
  return matches.length === 0 ? [query] : matches.map((agent) => agent.id);
}

/** Several newest-first pages as one, newest first, at most `limit` long. */
export function mergeNewestFirst(
  pages: readonly (readonly RegistryEventInfo[])[],
  limit: number,
): RegistryEventInfo[] {
  if (pages.length === 1) return [...(pages[0] ?? [])].slice(0, limit);
  return pages
    .flat()
    .sort((a, b) =>
      a.event_id !== undefined && b.event_id !== undefined
        ? b.event_id - a.event_id
        : Date.parse(b.timestamp) - Date.parse(a.timestamp),
    )
    .slice(0, limit);
}

/** The events table: time (UTC), type, agent, tool, details. */
export function formatEvents(
  events: readonly RegistryEventInfo[],
  style: Style = createStyle(false),
): string[] {
  const rows = events.map((event) => [
    shortTimestamp(event.timestamp),
    paintType(event.event_type, style),
    event.agent_id,
    event.function_name ?? '-',
    eventDetails(event),
  ]);
  const [head = '', ...lines] = formatTable(rows, ['TIME', 'TYPE', 'AGENT', 'TOOL', 'DETAILS']);
  return [style.bold(head), ...lines];
}

function paintType(type: string, style: Style): string {
  if (type === 'register' || type === 'recovered' || type === 'dependency_resolved')
    return style.green(type);
  if (type === 'unhealthy' || type === 'expire' || type === 'dependency_unresolved')
    return style.red(type);
  if (type === 'unregister' || type === 'update') return style.yellow(type);
  return type;
}

/** One line summing up an event's `data`. */
export function eventDetails(event: RegistryEventInfo): string {
  const data = event.data ?? {};
  if (event.event_type === 'dependency_resolved' || event.event_type === 'dependency_unresolved') {
    const facts = readResolutionEvent(data);
    const wanted = [facts.capability, facts.version].filter(Boolean).join(' ');
    const counts = [
      `${facts.candidates} candidate${facts.candidates === 1 ? '' : 's'}`,
      ...(facts.rejected > 0 ? [`${facts.rejected} rejected`] : []),
    ].join(', ');
    if (facts.chosen !== '') return `${wanted} → ${facts.chosen} (${counts})`;
    const why =
      facts.reason ?? (facts.candidates === 0 && facts.rejected === 0 ? 'no provider' : counts);
    return `${wanted} unresolved (${why})`;
  }
  const parts = Object.entries(data)
    .filter(([key]) => key !== 'replica')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const line = parts.join(' ');
  return line.length > 100 ? `${line.slice(0, 99)}…` : line || '-';
}
