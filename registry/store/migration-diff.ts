import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { DatabaseProvider } from './database-url.js';
import {
  datamodelFileName,
  lockfileName,
  migrationFileName,
  migrationsDirectory,
  providerDatamodel,
  readMigrations,
  schemaPath,
} from './migrate.js';
import { withSchemaEngine } from './schema-engine.js';

/**
 * A factory whose connections refuse every statement: the engine opens a connection when it
 * starts, but diffing two schemas needs no database, and this makes sure none is touched. The
 * PostgreSQL connector asks for the server version first (to tell CockroachDB apart): it is
 * told PostgreSQL 15, the oldest version the registry is tested on.
 */
function offlineFactory(provider: DatabaseProvider): SqlMigrationAwareDriverAdapterFactory {
  const info =
    provider === 'sqlite'
      ? ({ provider: 'sqlite', adapterName: '@prisma/adapter-better-sqlite3' } as const)
      : ({ provider: 'postgres', adapterName: '@prisma/adapter-pg' } as const);
  const refuse = () =>
    Promise.reject(new Error('diffing Prisma schemas must not reach a database'));
  const queryRaw = (query: SqlQuery): Promise<SqlResultSet> =>
    provider === 'postgresql' && query.sql.includes('server_version_num')
      ? Promise.resolve({
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, 'PostgreSQL 15.0 (offline: schema diff only)', 150000]],
        })
      : refuse();
  const connect = (): Promise<SqlDriverAdapter> =>
    Promise.resolve({
      ...info,
      queryRaw,
      executeRaw: refuse,
      executeScript: refuse,
      startTransaction: refuse,
      dispose: () => Promise.resolve(),
    });
  return { ...info, connect, connectToShadowDb: connect };
}

/**
 * The SQL that turns a database shaped by the `from` schema (none: an empty database) into one
 * shaped by `to`. Empty when the two schemas describe the same tables.
 */
export async function diffDatamodels(
  provider: DatabaseProvider,
  from: string | undefined,
  to: string,
): Promise<string> {
  const result = await withSchemaEngine(
    [providerDatamodel(provider)],
    offlineFactory(provider),
    (engine) =>
      engine.diff({
        from:
          from === undefined
            ? { tag: 'empty' }
            : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: from }] },
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      }),
  );
  const script = result.stdout ?? '';
  return isEmptyScript(script) ? '' : script;
}

/** The engine answers an empty diff with a comment only. */
function isEmptyScript(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

/**
 * The SQL a new migration would need to bring the latest migration's schema up to the current
 * `prisma/<provider>/schema.prisma`: empty when the migrations are up to date with the spec.
 */
export async function pendingMigrationSql(
  provider: DatabaseProvider,
  options: { directory?: string; schema?: string } = {},
): Promise<string> {
  const migrations = readMigrations(options.directory ?? migrationsDirectory(provider));
  const latest = migrations.at(-1);
  if (latest !== undefined && latest.datamodel === undefined) {
    throw new Error(`Migration ${latest.name} has no ${datamodelFileName} to diff from`);
  }
  return diffDatamodels(
    provider,
    latest?.datamodel,
    options.schema ?? readFileSync(schemaPath(provider), 'utf8'),
  );
}

export interface CreatedMigration {
  readonly provider: DatabaseProvider;
  /** Folder name; absent when the schema needed no change. */
  readonly name?: string;
  readonly directory?: string;
}

/**
 * Writes `prisma/migrations/<provider>/<timestamp>_<name>/migration.sql` (and the schema it
 * leads to, to diff the next migration from) when the provider's schema changed since the
 * latest migration. No database is needed.
 */
export async function createMigration(
  provider: DatabaseProvider,
  name: string,
  options: { directory?: string; schema?: string; now?: Date } = {},
): Promise<CreatedMigration> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Migration name "${name}": use lowercase letters, digits and underscores`);
  }
  const directory = options.directory ?? migrationsDirectory(provider);
  const schema = options.schema ?? readFileSync(schemaPath(provider), 'utf8');
  const sql = await pendingMigrationSql(provider, { directory, schema });
  if (sql === '') return { provider };
  const folder = `${timestamp(options.now ?? new Date())}_${name}`;
  if (readMigrations(directory).some((migration) => migration.name >= folder)) {
    throw new Error(`A migration at or after ${folder} exists in ${directory}`);
  }
  const target = join(directory, folder);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, migrationFileName), sql);
  writeFileSync(join(target, datamodelFileName), schema);
  writeFileSync(
    join(directory, lockfileName),
    '# Please do not edit this file manually\n' +
      '# It should be added in your version-control system (e.g., Git)\n' +
      `provider = "${provider}"\n`,
  );
  return { provider, name: folder, directory: target };
}

/** `yyyymmddhhmmss` in UTC, as Prisma names migration folders. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
}
