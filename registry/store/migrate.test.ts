import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseProvider } from './database-url.js';
import {
  applyMigrations,
  datamodelFileName,
  lockfileName,
  migrationsDirectory,
  readMigrations,
  schemaPath,
} from './migrate.js';
import { createMigration, diffDatamodels, pendingMigrationSql } from './migration-diff.js';
import {
  createTestPostgresDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from './test-databases.js';

const providers: readonly DatabaseProvider[] = ['sqlite', 'postgresql'];

/** The provider's current schema with one more optional column on Agent. */
function schemaWithNote(provider: DatabaseProvider): string {
  const schema = readFileSync(schemaPath(provider), 'utf8');
  const changed = schema.replace(/^(\s*tools\s+Tool\[\]\n)/m, '$1  note String?\n');
  expect(changed).not.toBe(schema);
  return changed;
}

describe('the committed migrations', () => {
  it.each(providers)(
    '%s: match the current schema (run `npm run migration:create`)',
    async (provider) => {
      expect(await pendingMigrationSql(provider)).toBe('');
    },
  );

  it('are the same steps for both providers, each with its schema and lockfile', () => {
    const names = providers.map((provider) =>
      readMigrations(migrationsDirectory(provider)).map((migration) => migration.name),
    );
    expect(names[0]).toEqual(names[1]);
    expect(names[0]?.[0]).toMatch(/^\d{14}_init$/);
    for (const provider of providers) {
      for (const migration of readMigrations(migrationsDirectory(provider))) {
        expect(migration.datamodel, `${provider}/${migration.name}`).toContain(
          `provider = "${provider}"`,
        );
      }
      expect(readFileSync(join(migrationsDirectory(provider), lockfileName), 'utf8')).toContain(
        `provider = "${provider}"`,
      );
    }
  });

  it('differ per provider', () => {
    const [sqlite, postgresql] = providers.map(
      (provider) => readMigrations(migrationsDirectory(provider))[0]?.sql ?? '',
    );
    expect(sqlite).toContain('INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT');
    expect(postgresql).toContain('SERIAL NOT NULL');
    expect(postgresql).toContain('JSONB');
  });
});

describe('diffDatamodels', () => {
  it.each(providers)(
    '%s: is empty between equal schemas, and needs no database',
    async (provider) => {
      const schema = readFileSync(schemaPath(provider), 'utf8');
      expect(await diffDatamodels(provider, schema, schema)).toBe('');
    },
  );

  it.each(providers)('%s: adds the new column', async (provider) => {
    const sql = await diffDatamodels(
      provider,
      readFileSync(schemaPath(provider), 'utf8'),
      schemaWithNote(provider),
    );
    expect(sql).toMatch(/ALTER TABLE "agents" ADD COLUMN +"note" TEXT/);
  });

  it('reports an invalid schema', async () => {
    await expect(diffDatamodels('sqlite', undefined, 'model Broken {')).rejects.toThrow();
  });
});

describe('createMigration', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'mesh-migrations-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes the first migration from an empty database, then nothing while unchanged', async () => {
    const folder = join(directory, 'fresh');
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const created = await createMigration('sqlite', 'init', { directory: folder, now });
    expect(created.name).toBe('20260102030405_init');
    const written = readFileSync(join(folder, '20260102030405_init', 'migration.sql'), 'utf8');
    expect(written).toContain('CREATE TABLE "agents"');
    expect(existsSync(join(folder, '20260102030405_init', datamodelFileName))).toBe(true);
    expect(readFileSync(join(folder, lockfileName), 'utf8')).toContain('provider = "sqlite"');
    expect(await createMigration('sqlite', 'again', { directory: folder })).toEqual({
      provider: 'sqlite',
    });
  });

  it('rejects names that are not lowercase words', async () => {
    await expect(createMigration('sqlite', 'Add Things', { directory })).rejects.toThrow(
      /lowercase/,
    );
  });

  it('refuses to write a migration that would sort before an existing one', async () => {
    const folder = join(directory, 'ordered');
    cpSync(migrationsDirectory('sqlite'), folder, { recursive: true });
    await expect(
      createMigration('sqlite', 'note', {
        directory: folder,
        schema: schemaWithNote('sqlite'),
        now: new Date(Date.UTC(2000, 0, 1)),
      }),
    ).rejects.toThrow(/exists/);
  });
});

/** Applies migrations through a fresh adapter factory, as `openStore` does. */
interface Subject {
  readonly database: TestDatabase;
  factory(): SqlMigrationAwareDriverAdapterFactory;
  migrationRows(): Promise<{ migration_name: string; finished: boolean }[]>;
}

async function sqliteSubject(): Promise<Subject> {
  const database = createTestSqliteDatabase();
  const path = database.url.slice('file:'.length);
  mkdirSync(join(path, '..'), { recursive: true });
  return {
    database,
    factory: () => new PrismaBetterSqlite3({ url: path }),
    migrationRows: async () => {
      const db = new Database(path, { readonly: true });
      try {
        return db
          .prepare(
            'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
          )
          .all()
          .map((row) => {
            const { migration_name, finished } = row as {
              migration_name: string;
              finished: number;
            };
            return { migration_name, finished: finished === 1 };
          });
      } finally {
        db.close();
      }
    },
  };
}

async function postgresSubject(): Promise<Subject> {
  const database = await createTestPostgresDatabase();
  return {
    database,
    // As openStore does: a pool of its own, which the engine's connection ends when it is done.
    factory: () => new PrismaPg({ connectionString: database.url, max: 1 }),
    migrationRows: async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const result = await client.query<{ migration_name: string; finished: boolean }>(
          'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
        );
        return result.rows;
      } finally {
        await client.end();
      }
    },
  };
}

describe.each([
  ['sqlite', sqliteSubject],
  ['postgresql', postgresSubject],
] as const)('applyMigrations on %s', (provider, makeSubject) => {
  let subject: Subject | undefined;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), `mesh-apply-${provider}-`));
    cpSync(migrationsDirectory(provider), directory, { recursive: true });
    subject = await makeSubject();
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await subject?.database.drop();
  });

  const committed = readMigrations(migrationsDirectory(provider)).map(
    (migration) => migration.name,
  );

  it('applies every migration to an empty database and records it', async () => {
    const result = await applyMigrations(provider, subject!.factory(), { directory });
    expect(result.applied).toEqual(committed);
    expect(await subject!.migrationRows()).toEqual(
      committed.map((name) => ({ migration_name: name, finished: true })),
    );
  });

  it('applies nothing the second time, with or without the engine', async () => {
    for (const checkFirst of [true, false]) {
      const result = await applyMigrations(provider, subject!.factory(), { directory, checkFirst });
      expect(result.applied).toEqual([]);
    }
    expect(await subject!.migrationRows()).toHaveLength(committed.length);
  });

  it('applies only a new migration', async () => {
    const created = await createMigration(provider, 'add_note', {
      directory,
      schema: schemaWithNote(provider),
    });
    expect(created.name).toMatch(/^\d{14}_add_note$/);
    const result = await applyMigrations(provider, subject!.factory(), { directory });
    expect(result.applied).toEqual([created.name]);
    expect((await applyMigrations(provider, subject!.factory(), { directory })).applied).toEqual(
      [],
    );
    expect(
      await pendingMigrationSql(provider, { directory, schema: schemaWithNote(provider) }),
    ).toBe('');
  });

  it('throws on a failing migration, and keeps throwing until it is resolved', async () => {
    const broken = join(directory, '99990101000000_broken');
    cpSync(join(directory, committed[0]!), broken, { recursive: true });
    await expect(applyMigrations(provider, subject!.factory(), { directory })).rejects.toThrow(
      /already exists/,
    );
    await expect(applyMigrations(provider, subject!.factory(), { directory })).rejects.toThrow(
      /failed migrations/,
    );
  });
});
