import type { DatabaseProvider } from '../store/database-url.js';
import type { StoredAgent } from './registry-store.js';

/** One SQL statement with its parameters. */
export type Statement = readonly [sql: string, parameters: readonly unknown[]];

/**
 * A registration as plain SQL: the agent upserted, its tools replaced (their dependencies go
 * with them by cascade), tools and dependencies inserted. Prisma's nested upsert did the same
 * at ~4 ms a registration, most of it planning the query anew; these statements take a
 * fraction of that. Values are formatted the way Prisma stores them, so Prisma reads them back.
 */
export function registrationStatements(
  provider: DatabaseProvider,
  agent: StoredAgent,
): Statement[] {
  const dialect = provider === 'sqlite' ? sqlite : postgres;
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
        `INSERT INTO dependencies (tool_id, position, capability, version_range, tags, namespace, required)
         SELECT id, ${dialect.mark(1)}, ${dialect.mark(2)}, ${dialect.mark(3)}, ${dialect.jsonMark(4)}, ${dialect.mark(5)}, ${dialect.booleanMark(6)}
         FROM tools WHERE agent_id = ${dialect.mark(7)} AND function_name = ${dialect.mark(8)}`,
        [
          position,
          dependency.capability,
          dependency.version,
          JSON.stringify(dependency.tags),
          dependency.namespace ?? null,
          dialect.boolean(dependency.required),
          registration.agentId,
          tool.functionName,
        ],
      ]);
    });
  }
  return statements;
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
