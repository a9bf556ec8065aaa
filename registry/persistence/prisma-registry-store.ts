import type { DependencySpec } from '../resolution/provider.js';
import type { RegistryPrismaClient, Store } from '../store/open-store.js';
import type { AgentStatus } from '../topology/agent-state.js';
import type { ToolRegistration } from '../topology/registration.js';
import {
  eventStatements,
  lastSeenStatements,
  registrationStatements,
  type Statement,
  statusStatement,
} from './registration-sql.js';
import type {
  EventQuery,
  RegistryEvent,
  RegistryStore,
  StoredAgent,
  StoredEvent,
} from './registry-store.js';
import { SqliteWriter } from './sqlite-writer.js';

// Large `IN (...)` lists are split: SQLite caps bound parameters per statement.
const batchSize = 500;

/** The registry's storage on SQLite or PostgreSQL, through the generated Prisma client. */
export class PrismaRegistryStore implements RegistryStore {
  private readonly sqliteWriter: SqliteWriter | undefined;

  constructor(private readonly store: Store) {
    this.sqliteWriter =
      store.target.provider === 'sqlite' ? new SqliteWriter(store.target.path) : undefined;
  }

  async loadAgents(): Promise<StoredAgent[]> {
    const agents = await this.store.prisma.agent.findMany({
      include: withTools,
      orderBy: { id: 'asc' },
    });
    return agents.map(toStoredAgent);
  }

  async loadAgent(agentId: string): Promise<StoredAgent | undefined> {
    const agent = await this.store.prisma.agent.findUnique({
      where: { id: agentId },
      include: withTools,
    });
    return agent === null ? undefined : toStoredAgent(agent);
  }

  async lastSeenOf(agentIds: readonly string[]): Promise<Map<string, number>> {
    const seen = new Map<string, number>();
    for (let start = 0; start < agentIds.length; start += batchSize) {
      const rows = await this.store.prisma.agent.findMany({
        where: { id: { in: agentIds.slice(start, start + batchSize) } },
        select: { id: true, lastSeenAt: true },
      });
      for (const row of rows) seen.set(row.id, row.lastSeenAt.getTime());
    }
    return seen;
  }

  async eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.store.prisma.event.findMany({
      where: { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toStoredEvent);
  }

  async lastEventId(): Promise<number> {
    const row = await this.store.prisma.event.findFirst({
      orderBy: { id: 'desc' },
      select: { id: true },
    });
    return row?.id ?? 0;
  }

  async saveRegistration(agent: StoredAgent): Promise<void> {
    await this.execute(registrationStatements(this.store.provider, agent));
  }

  async saveStatus(agentId: string, status: AgentStatus, lastSeen: Date): Promise<void> {
    await this.execute([statusStatement(this.store.provider, agentId, status, lastSeen)]);
  }

  async saveLastSeen(sightings: ReadonlyMap<string, number>): Promise<void> {
    if (sightings.size > 0) await this.execute(lastSeenStatements(this.store.provider, sightings));
  }

  async deleteAgent(agentId: string): Promise<boolean> {
    const mark = this.store.provider === 'sqlite' ? '?' : '$1';
    return (await this.execute([[`DELETE FROM agents WHERE id = ${mark}`, [agentId]]])) > 0;
  }

  async appendEvents(events: readonly RegistryEvent[]): Promise<void> {
    await this.execute(eventStatements(this.store.provider, events));
  }

  // Runs statements in one transaction: on SQLite through the prepared-statement connection,
  // on PostgreSQL as raw queries through Prisma (no query compilation). Answers rows changed.
  private async execute(statements: readonly Statement[]): Promise<number> {
    if (statements.length === 0) return 0;
    if (this.sqliteWriter) return this.sqliteWriter.run(statements);
    const { prisma } = this.store;
    const counts = await prisma.$transaction(
      statements.map(([sql, parameters]) => prisma.$executeRawUnsafe(sql, ...parameters)),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = await this.store.prisma.event.findMany({
      where: {
        ...(query.type === undefined ? {} : { eventType: query.type }),
        ...(query.agentId === undefined ? {} : { agentId: query.agentId }),
        ...(query.functionName === undefined ? {} : { functionName: query.functionName }),
      },
      orderBy: { id: 'desc' },
      take: query.limit,
    });
    return rows.map(toStoredEvent);
  }

  async trimEvents(keep: number): Promise<void> {
    const boundary = await this.store.prisma.event.findFirst({
      orderBy: { id: 'desc' },
      skip: keep,
      select: { id: true },
    });
    if (boundary) await this.store.prisma.event.deleteMany({ where: { id: { lte: boundary.id } } });
  }

  async ping(): Promise<boolean> {
    try {
      await this.store.prisma.$queryRawUnsafe('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.sqliteWriter?.close();
    return this.store.close();
  }
}

const withTools = {
  tools: { orderBy: { id: 'asc' }, include: { dependencies: { orderBy: { position: 'asc' } } } },
} as const;

type AgentRow = NonNullable<Awaited<ReturnType<RegistryPrismaClient['agent']['findUnique']>>> & {
  tools: (AgentToolRow & { dependencies: DependencyRow[] })[];
};
type AgentToolRow = NonNullable<Awaited<ReturnType<RegistryPrismaClient['tool']['findUnique']>>>;
type DependencyRow = NonNullable<
  Awaited<ReturnType<RegistryPrismaClient['dependency']['findUnique']>>
>;
type EventRow = NonNullable<Awaited<ReturnType<RegistryPrismaClient['event']['findUnique']>>>;

function toStoredAgent(agent: AgentRow): StoredAgent {
  return {
    registration: {
      agentId: agent.id,
      agentType: agent.agentType,
      name: agent.name,
      version: agent.version,
      ...(agent.description === null ? {} : { description: agent.description }),
      namespace: agent.namespace,
      httpHost: agent.httpHost,
      httpPort: agent.httpPort,
      runtime: agent.runtime,
      tools: agent.tools.map(
        (tool): ToolRegistration => ({
          functionName: tool.functionName,
          capability: tool.capability,
          version: tool.version,
          tags: tool.tags as string[],
          ...(tool.description === null ? {} : { description: tool.description }),
          ...(tool.inputSchema === null
            ? {}
            : { inputSchema: tool.inputSchema as Record<string, unknown> }),
          ...(tool.outputSchema === null
            ? {}
            : { outputSchema: tool.outputSchema as Record<string, unknown> }),
          kwargs: tool.kwargs as Record<string, unknown>,
          dependencies: tool.dependencies.map((dependency) => ({
            capability: dependency.capability,
            version: dependency.versionRange,
            tags: dependency.tags as (string | string[])[],
            ...(dependency.namespace === null ? {} : { namespace: dependency.namespace }),
            required: dependency.required,
            ...(dependency.fallbacks === null
              ? {}
              : { fallbacks: dependency.fallbacks as unknown as DependencySpec[] }),
          })),
        }),
      ),
    },
    registrationHash: agent.registrationHash,
    status: agent.status === 'healthy' ? 'healthy' : 'unhealthy',
    lastSeen: agent.lastSeenAt,
    createdAt: agent.createdAt,
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    eventType: row.eventType as StoredEvent['eventType'],
    agentId: row.agentId,
    ...(row.agentName === null ? {} : { agentName: row.agentName }),
    ...(row.functionName === null ? {} : { functionName: row.functionName }),
    data: row.data as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}
