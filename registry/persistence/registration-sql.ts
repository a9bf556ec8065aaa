import type { DatabaseProvider } from '../store/database-url.js';
import type { RegistryEvent, StoredAgent } from './registry-store.js';

// The registry's writes as plain SQL. Through the Prisma client each write cost ~1-4 ms, most of
// it compiling the query anew; these statements run as they are (on SQLite, prepared once).

/** One SQL statement with its parameters. */
export type Statement = readonly [sql: string, parameters: readonly unknown[]];

/** Events as one multi-row INSERT. */
export function eventStatements(
  provider: DatabaseProvider,
  events: readonly RegistryEvent[],
): Statement[] {
  if (events.length === 0) return [];
  const dialect = dialectOf(provider);
  const now = dialect.timestamp(new Date());
  const rows: string[] = [];
  const parameters: unknown[] = [];
  for (const event of events) {
    const base = parameters.length;
    rows.push(
      `(${dialect.mark(base + 1)}, ${dialect.mark(base + 2)}, ${dialect.mark(base + 3)}, ${dialect.mark(base + 4)}, ${dialect.jsonMark(base + 5)}, ${dialect.timestampMark(base + 6)})`,
    );
    parameters.push(
      event.eventType,
      event.agentId,
      event.agentName ?? null,
      event.functionName ?? null,
      JSON.stringify(event.data),
      now,
    );
  }
  return [
    [
      `INSERT INTO events (event_type, agent_id, agent_name, function_name, data, created_at) VALUES ${rows.join(', ')}`,
      parameters,
    ],
  ];
}

/** A health transition of one agent. */
export function statusStatement(
  provider: DatabaseProvider,
  agentId: string,
  status: string,
  lastSeen: Date,
): Statement {
  const dialect = dialectOf(provider);
  return [
    `UPDATE agents SET status = ${dialect.mark(1)}, last_seen_at = ${dialect.timestampMark(2)} WHERE id = ${dialect.mark(3)}`,
    [status, dialect.timestamp(lastSeen), agentId],
  ];
}

/**
 * Many agents' last sightings, as batched updates: the batch's latest sighting stands for all
 * (they are at most one flush interval apart), which is what health after a restart needs.
 */
export function lastSeenStatements(
  provider: DatabaseProvider,
  sightings: ReadonlyMap<string, number>,
  batchSize = 500,
): Statement[] {
  const dialect = dialectOf(provider);
  const ids = [...sightings.keys()];
  const latest = dialect.timestamp(new Date(Math.max(...sightings.values())));
  const statements: Statement[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const batch = ids.slice(start, start + batchSize);
    const marks = batch.map((_, index) => dialect.mark(index + 2));
    statements.push([
      `UPDATE agents SET last_seen_at = ${dialect.timestampMark(1)} WHERE status = 'healthy' AND id IN (${marks.join(', ')})`,
      [latest, ...batch],
    ]);
  }
  return statements;
}

/**
 * A registration as plain SQL: the agent upserted, its tools replaced (their dependencies go
 * with them by cascade), tools and dependencies inserted. Values are formatted the way Prisma
 * stores them, so Prisma reads them back.
 */
export function registrationStatements(
  provider: DatabaseProvider,
  agent: StoredAgent,
): Statement[] {
  const dialect = dialectOf(provider);
  const { registration } = agent;
  const statements: Statement[] = [];
  const agentValues = [
    registration.agentId,
    registration.name,
    registration.agentType,
    registration.version,
    registration.description ?? null,
    registration.namespace,
    registration.httpHost,
    registration.httpPort,
    registration.runtime,
    agent.status,
    agent.registrationHash,
    dialect.timestamp(agent.lastSeen),
    dialect.timestamp(agent.createdAt),
    dialect.timestamp(new Date()),
  ];
  const marks = agentValues.map((_, index) =>
    index >= 11 ? dialect.timestampMark(index + 1) : dialect.mark(index + 1),
  );
  statements.push([
    `INSERT INTO agents (id, name, agent_type, version, description, namespace, http_host, http_port, runtime, status, registration_hash, last_seen_at, created_at, updated_at)
     VALUES (${marks.join(', ')})
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, agent_type = excluded.agent_type, version = excluded.version,
       description = excluded.description, namespace = excluded.namespace, http_host = excluded.http_host,
       http_port = excluded.http_port, runtime = excluded.runtime, status = excluded.status,
       registration_hash = excluded.registration_hash, last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at`,
    agentValues,
  ]);
  statements.push([
    `DELETE FROM tools WHERE agent_id = ${dialect.mark(1)}`,
    [registration.agentId],
  ]);
  for (const tool of registration.tools) {
    statements.push([
      `INSERT INTO tools (agent_id, function_name, capability, version, tags, description, input_schema, output_schema, kwargs)
       VALUES (${dialect.mark(1)}, ${dialect.mark(2)}, ${dialect.mark(3)}, ${dialect.mark(4)}, ${dialect.jsonMark(5)}, ${dialect.mark(6)}, ${dialect.jsonMark(7)}, ${dialect.jsonMark(8)}, ${dialect.jsonMark(9)})`,
      [
        registration.agentId,
        tool.functionName,
        tool.capability,
        tool.version,
        JSON.stringify(tool.tags),
        tool.description ?? null,
        tool.inputSchema === undefined ? null : JSON.stringify(tool.inputSchema),
        tool.outputSchema === undefined ? null : JSON.stringify(tool.outputSchema),
        JSON.stringify(tool.kwargs),
      ],
    ]);
    tool.dependencies.forEach((dependency, position) => {
      statements.push([
        `INSERT INTO dependencies (tool_id, position, capability, version_range, tags, namespace, required, fallbacks)
         SELECT id, ${dialect.mark(1)}, ${dialect.mark(2)}, ${dialect.mark(3)}, ${dialect.jsonMark(4)}, ${dialect.mark(5)}, ${dialect.booleanMark(6)}, ${dialect.jsonMark(7)}
         FROM tools WHERE agent_id = ${dialect.mark(8)} AND function_name = ${dialect.mark(9)}`,
        [
          position,
          dependency.capability,
          dependency.version,
          JSON.stringify(dependency.tags),
          dependency.namespace ?? null,
          dialect.boolean(dependency.required),
          dependency.fallbacks === undefined ? null : JSON.stringify(dependency.fallbacks),
          registration.agentId,
          tool.functionName,
        ],
      ]);
    });
  }
  return statements;
}

function dialectOf(provider: DatabaseProvider): Dialect {
  return provider === 'sqlite' ? sqlite : postgres;
}

interface Dialect {
  mark(index: number): string;
  jsonMark(index: number): string;
  timestampMark(index: number): string;
  booleanMark(index: number): string;
  timestamp(date: Date): string;
  boolean(value: boolean): unknown;
}

// Prisma keeps SQLite DateTimes as ISO text with an explicit +00:00 offset, Json as text,
// booleans as 0/1.
const sqlite: Dialect = {
  mark: () => '?',
  jsonMark: () => '?',
  timestampMark: () => '?',
  booleanMark: () => '?',
  timestamp: (date) => date.toISOString().replace('Z', '+00:00'),
  boolean: (value) => (value ? 1 : 0),
};

// PostgreSQL columns are TIMESTAMP(3) (UTC, no zone) and JSONB.
const postgres: Dialect = {
  mark: (index) => `$${index}`,
  jsonMark: (index) => `$${index}::jsonb`,
  timestampMark: (index) => `($${index}::timestamptz AT TIME ZONE 'UTC')`,
  booleanMark: (index) => `$${index}::boolean`,
  timestamp: (date) => date.toISOString(),
  boolean: (value) => value,
};
