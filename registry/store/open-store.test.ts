import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseProvider } from './database-url.js';
import { DatabaseUrlError } from './database-url.js';
import { migrationsDirectory, readMigrations, schemaPath } from './migrate.js';
import { createMigration } from './migration-diff.js';
import { openStore, type Store } from './open-store.js';
import { schemaEngineInstantiated } from './schema-engine.js';
import {
  createTestPostgresDatabase,
  createTestSqliteDatabase,
  postgresAdminUrl,
  type TestDatabase,
} from './test-databases.js';

const databases: readonly [DatabaseProvider, () => TestDatabase | Promise<TestDatabase>][] = [
  ['sqlite', createTestSqliteDatabase],
  ['postgresql', createTestPostgresDatabase],
];

/** A registration as the registry will store it: two tools, the second with dependencies. */
function agentData(id: string, lastSeenAt = new Date('2026-11-21T10:11:12.345Z')) {
  return {
    id,
    name: 'greeter',
    httpHost: '127.0.0.1',
    httpPort: 9100,
    registrationHash: `hash-${id}`,
    lastSeenAt,
    tools: {
      create: [
        {
          functionName: 'greet',
          capability: 'greeting',
          version: '1.2.0',
          tags: ['en', 'friendly'],
          description: 'Says hello',
          inputSchema: {
            type: 'object',
            properties: { name: { type: 'string', maxLength: 80 } },
            required: ['name'],
          },
          kwargs: { timeout: 30, retries: 2, stream: false, custom: { nested: [1, 'two', null] } },
        },
        {
          functionName: 'greet_in_time',
          capability: 'timed_greeting',
          tags: [],
          kwargs: {},
          dependencies: {
            create: [
              {
                position: 0,
                capability: 'date_service',
                versionRange: '>=1.0.0 <2',
                tags: ['system', '+fast', '-slow'],
                required: true,
              },
              { position: 1, capability: 'weather', tags: [], namespace: 'tools' },
            ],
          },
        },
      ],
    },
  };
}

describe.each(databases)('openStore on %s', (provider, createDatabase) => {
  let database: TestDatabase | undefined;
  let store: Store;
  const committed = readMigrations(migrationsDirectory(provider)).map(
    (migration) => migration.name,
  );

  beforeAll(async () => {
    database = await createDatabase();
    store = await openStore(database.url);
  });
  afterAll(async () => {
    try {
      await store?.close();
    } finally {
      await database?.drop();
    }
  });

  it('brings an empty database up to date, and reopening applies nothing', async () => {
    expect(store.provider).toBe(provider);
    expect(store.migrations.applied).toEqual(committed);
    // The engine ran in a child process: its memory is not this one's.
    expect(schemaEngineInstantiated()).toBe(false);
    const again = await openStore(database!.url);
    try {
      expect(again.migrations.applied).toEqual([]);
      expect(await again.prisma.agent.count()).toBe(0);
    } finally {
      await again.close();
    }
    const recorded = await store.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(committed);
  });

  it('creates and reads an agent with its tools and dependencies', async () => {
    const lastSeenAt = new Date('2026-11-21T10:11:12.345Z');
    const created = await store.prisma.agent.create({ data: agentData('greeter-1', lastSeenAt) });
    expect(created).toMatchObject({
      id: 'greeter-1',
      agentType: 'mcp_agent',
      version: '1.0.0',
      namespace: 'default',
      runtime: 'typescript',
      status: 'healthy',
      description: null,
      lastSeenAt,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);

    const agent = await store.prisma.agent.findUniqueOrThrow({
      where: { id: 'greeter-1' },
      include: {
        tools: {
          orderBy: { functionName: 'asc' },
          include: { dependencies: { orderBy: { position: 'asc' } } },
        },
      },
    });
    expect(agent.tools.map((tool) => tool.functionName)).toEqual(['greet', 'greet_in_time']);
    const [greet, timed] = agent.tools;
    expect(greet).toMatchObject({ capability: 'greeting', version: '1.2.0', outputSchema: null });
    expect(greet?.dependencies).toEqual([]);
    expect(timed?.version).toBe('1.0.0');
    expect(
      timed?.dependencies.map(({ position, capability, versionRange, namespace, required }) => ({
        position,
        capability,
        versionRange,
        namespace,
        required,
      })),
    ).toEqual([
      {
        position: 0,
        capability: 'date_service',
        versionRange: '>=1.0.0 <2',
        namespace: null,
        required: true,
      },
      {
        position: 1,
        capability: 'weather',
        versionRange: '*',
        namespace: 'tools',
        required: false,
      },
    ]);
  });

  it('round-trips Json fields exactly', async () => {
    const tool = await store.prisma.tool.findFirstOrThrow({
      where: { agentId: 'greeter-1', functionName: 'greet' },
    });
    expect(tool.tags).toEqual(['en', 'friendly']);
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { name: { type: 'string', maxLength: 80 } },
      required: ['name'],
    });
    expect(tool.kwargs).toEqual({
      timeout: 30,
      retries: 2,
      stream: false,
      custom: { nested: [1, 'two', null] },
    });
    // PostgreSQL's jsonb refuses the NUL character (\u0000): keep it out of stored data.
    const odd = {
      unicode: 'héllo 👋 "quoted" \\ back',
      big: 2 ** 53 - 1,
      float: 0.1,
      empty: {},
      list: [[]],
    };
    const updated = await store.prisma.tool.update({
      where: { id: tool.id },
      data: { kwargs: odd, outputSchema: { type: 'string' } },
    });
    expect(updated.kwargs).toEqual(odd);
    const reread = await store.prisma.tool.findUniqueOrThrow({ where: { id: tool.id } });
    expect(reread.kwargs).toEqual(odd);
    expect(reread.outputSchema).toEqual({ type: 'string' });
  });

  it('keeps one tool per agent and function name', async () => {
    await expect(
      store.prisma.tool.create({
        data: {
          agentId: 'greeter-1',
          functionName: 'greet',
          capability: 'x',
          tags: [],
          kwargs: {},
        },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('updates updatedAt by itself', async () => {
    const before = await store.prisma.agent.findUniqueOrThrow({ where: { id: 'greeter-1' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await store.prisma.agent.update({
      where: { id: 'greeter-1' },
      data: { status: 'unhealthy' },
    });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  it('deletes an agent with its tools and their dependencies', async () => {
    await store.prisma.agent.create({ data: agentData('greeter-2') });
    const toolIds = (
      await store.prisma.tool.findMany({ where: { agentId: 'greeter-2' }, select: { id: true } })
    ).map((tool) => tool.id);
    expect(toolIds).toHaveLength(2);
    expect(await store.prisma.dependency.count({ where: { toolId: { in: toolIds } } })).toBe(2);

    await store.prisma.agent.delete({ where: { id: 'greeter-2' } });

    expect(await store.prisma.tool.count({ where: { agentId: 'greeter-2' } })).toBe(0);
    expect(await store.prisma.dependency.count({ where: { toolId: { in: toolIds } } })).toBe(0);
    // The other agent keeps everything.
    expect(await store.prisma.tool.count({ where: { agentId: 'greeter-1' } })).toBe(2);
    expect(await store.prisma.dependency.count()).toBe(2);
  });

  it('stores events and lists them newest first', async () => {
    const base = Date.parse('2026-11-21T12:00:00.000Z');
    for (const [index, eventType] of ['register', 'healthy', 'unhealthy', 'unregister'].entries()) {
      await store.prisma.event.create({
        data: {
          eventType,
          agentId: index % 2 === 0 ? 'greeter-1' : 'other-1',
          agentName: 'greeter',
          data: { index, reason: eventType === 'unhealthy' ? 'missed heartbeats' : null },
          createdAt: new Date(base + index * 1000),
        },
      });
    }
    // Same timestamp as the last one: the id breaks the tie.
    await store.prisma.event.create({
      data: {
        eventType: 'dependency_changed',
        agentId: 'greeter-1',
        functionName: 'greet_in_time',
        data: { added: ['date_service'] },
        createdAt: new Date(base + 3000),
      },
    });
    const newest = await store.prisma.event.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 3,
    });
    expect(newest.map((event) => event.eventType)).toEqual([
      'dependency_changed',
      'unregister',
      'unhealthy',
    ]);
    expect(newest[0]).toMatchObject({
      functionName: 'greet_in_time',
      agentName: null,
      data: { added: ['date_service'] },
    });
    expect(newest[2]?.data).toEqual({ index: 2, reason: 'missed heartbeats' });
    const forAgent = await store.prisma.event.findMany({
      where: { agentId: 'greeter-1', createdAt: { gte: new Date(base + 1000) } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    expect(forAgent.map((event) => event.eventType)).toEqual(['dependency_changed', 'unhealthy']);
  });

  it('closes once, however often it is asked', async () => {
    const extra = await openStore(database!.url);
    await extra.close();
    await extra.close();
  });
});

describe('openStore on sqlite', () => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = createTestSqliteDatabase();
    store = await openStore(database.url);
  });
  afterAll(async () => {
    try {
      await store?.close();
    } finally {
      await database.drop();
    }
  });

  it('creates the folder of the file and runs in WAL mode', async () => {
    const path = database.url.slice('file:'.length);
    expect(existsSync(path)).toBe(true);
    const pragma = async (name: string) =>
      Object.values(
        (await store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0] ?? {},
      )[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(Number(await pragma('synchronous'))).toBe(1); // NORMAL
    expect(Number(await pragma('foreign_keys'))).toBe(1);
    expect(Number(await pragma('busy_timeout'))).toBe(5000);
    await store.prisma.event.create({ data: { eventType: 'x', agentId: 'a', data: {} } });
    expect(existsSync(`${path}-wal`)).toBe(true);
  });
});

describe('migrating SQLite while another connection holds the file', () => {
  let database: TestDatabase;
  let directory: string;
  let first: Store | undefined;
  beforeAll(() => {
    database = createTestSqliteDatabase();
    directory = mkdtempSync(join(tmpdir(), 'mesh-locked-'));
    cpSync(migrationsDirectory('sqlite'), directory, { recursive: true });
  });
  afterAll(async () => {
    try {
      await first?.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await database.drop();
    }
  });

  it('opens beside it when nothing is pending, and says why it cannot migrate otherwise', async () => {
    first = await openStore(database.url, { migrationsDirectory: directory });
    const second = await openStore(database.url, { migrationsDirectory: directory });
    await second.close();
    const schema = readFileSync(schemaPath('sqlite'), 'utf8').replace(
      /^(\s*tools\s+Tool\[\]\n)/m,
      '$1  note String?\n',
    );
    await createMigration('sqlite', 'add_note', { directory, schema });
    await expect(
      openStore(database.url, { migrationsDirectory: directory, busyTimeoutMs: 100 }),
    ).rejects.toThrow(/stayed locked by another connection/);
    await first.close();
    const third = await openStore(database.url, { migrationsDirectory: directory });
    expect(third.migrations.applied).toEqual([expect.stringMatching(/_add_note$/)]);
    await third.close();
  });
});

describe.each(databases)('a failing migration at start on %s', (provider, createDatabase) => {
  let database: TestDatabase | undefined;
  let directory: string;
  const broken = '99990101000000_broken';
  beforeAll(async () => {
    database = await createDatabase();
    directory = mkdtempSync(join(tmpdir(), `mesh-failing-${provider}-`));
    cpSync(migrationsDirectory(provider), directory, { recursive: true });
    await (await openStore(database.url, { migrationsDirectory: directory })).close();
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await database?.drop();
  });

  it('is named, with what to do, until it is resolved as told; then it applies', async () => {
    // A copy of the first migration: its tables exist already.
    const first = readMigrations(directory)[0]!.name;
    cpSync(join(directory, first), join(directory, broken), { recursive: true });
    const open = () => openStore(database!.url, { migrationsDirectory: directory });
    const advice = new RegExp(
      `undo whatever part.*rolled back.*\n.*UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '${broken}'`,
      's',
    );
    await expect(open()).rejects.toThrow(
      new RegExp(`^Migration ${broken} failed on .*already exists`),
    );
    await expect(open()).rejects.toThrow(advice);
    await expect(open()).rejects.toThrow(
      new RegExp(`^Migration ${broken} failed at an earlier start on .*\n.*rolled back`),
    );

    writeFileSync(
      join(directory, broken, 'migration.sql'),
      'CREATE TABLE "notes" ("id" INTEGER NOT NULL PRIMARY KEY);\n',
    );
    // Fixed, but still recorded as failed: it stays blocked until recorded as rolled back.
    await expect(open()).rejects.toThrow(/failed at an earlier start/);
    await resolveAsTold(database!.url, broken);
    const store = await open();
    try {
      expect(store.migrations.applied).toEqual([broken]);
    } finally {
      await store.close();
    }
  });
});

/** Runs the statement a migration failure says to run, on the database of `url`. */
async function resolveAsTold(url: string, migration: string): Promise<void> {
  const sql = `UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '${migration}' AND rolled_back_at IS NULL`;
  if (url.startsWith('file:')) {
    const database = new Database(url.slice('file:'.length));
    try {
      database.prepare(sql).run();
    } finally {
      database.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('openStore errors', () => {
  it('rejects a URL it cannot use', async () => {
    await expect(openStore('mysql://localhost/mesh')).rejects.toThrow(DatabaseUrlError);
  });

  it('rejects a PostgreSQL database that does not exist', async () => {
    const url = new URL(postgresAdminUrl());
    url.pathname = '/mesh_test_does_not_exist';
    await expect(openStore(url.toString())).rejects.toThrow(/does not exist/);
  });
});
