import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { DatabaseProvider } from './database-url.js';
import { type DatamodelFile, withSchemaEngine } from './schema-engine.js';

/** The project root: registry/store/../.. */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Folder of one provider's migrations: `prisma/migrations/<provider>`. */
export function migrationsDirectory(provider: DatabaseProvider): string {
  return join(projectRoot, 'prisma', 'migrations', provider);
}

/** The Prisma schema `npm run generate` writes for a provider: `prisma/<provider>/schema.prisma`. */
export function schemaPath(provider: DatabaseProvider): string {
  return join(projectRoot, 'prisma', provider, 'schema.prisma');
}

/** Name of the copy of the Prisma schema kept beside each migration's SQL. */
export const datamodelFileName = 'datamodel.prisma';
export const migrationFileName = 'migration.sql';
export const lockfileName = 'migration_lock.toml';

/** One migration folder: `<name>/migration.sql`, and the schema it migrates to. */
export interface Migration {
  /** Folder name, `<yyyymmddhhmmss>_<name>`; folders apply in name order. */
  readonly name: string;
  readonly sql: string;
  /** The Prisma schema this migration leads to (`datamodel.prisma`), if kept. */
  readonly datamodel?: string;
}

/** The migrations of a folder, in the order they apply. */
export function readMigrations(directory: string): Migration[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const sqlPath = join(directory, name, migrationFileName);
      if (!existsSync(sqlPath)) return [];
      const datamodelPath = join(directory, name, datamodelFileName);
      return [
        {
          name,
          sql: readFileSync(sqlPath, 'utf8'),
          ...(existsSync(datamodelPath) ? { datamodel: readFileSync(datamodelPath, 'utf8') } : {}),
        },
      ];
    });
}

export interface ApplyMigrationsOptions {
  /** Folder of migrations; default `prisma/migrations/<provider>` of this project. */
  readonly directory?: string;
  /**
   * Look in `_prisma_migrations` first and skip the engine when every migration is recorded;
   * default true. False always runs the engine (which then applies nothing itself).
   */
  readonly checkFirst?: boolean;
}

export interface ApplyMigrationsResult {
  /** Migrations applied by this call, in order; empty when the database was up to date. */
  readonly applied: string[];
  readonly durationMs: number;
}

/**
 * Applies the migrations the database has not seen yet, through Prisma's schema engine
 * (WebAssembly) and a driver adapter, and records them in `_prisma_migrations`. Running it on
 * an up-to-date database applies nothing. Like `prisma migrate deploy`: a migration edited after
 * it was applied is not re-applied (nor reported); a failing migration throws, is recorded as
 * failed, and blocks every later call until it is resolved by hand. Several processes may call
 * it at once on one database (checked on SQLite and PostgreSQL): one applies, the rest find
 * nothing to do. When the database already recorded every migration, the engine is not even
 * started (see `migrationsUpToDate`).
 *
 * The connections the engine opens through `adapterFactory` are closed when it is done. With
 * PostgreSQL give `PrismaPg` a connection string or pool settings, not a pool of your own: the
 * engine holds a session advisory lock while it migrates and leaves its release to the end of
 * the session, so a connection returned to a pool still open keeps the next migration waiting.
 */
export async function applyMigrations(
  provider: DatabaseProvider,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const started = performance.now();
  const directory = options.directory ?? migrationsDirectory(provider);
  const migrations = readMigrations(directory);
  if (migrations.length === 0) {
    throw new Error(`No migrations in ${directory}: run \`npm run migration:create -- init\``);
  }
  if (options.checkFirst !== false && (await migrationsUpToDate(adapterFactory, migrations))) {
    return { applied: [], durationMs: performance.now() - started };
  }
  const lockfilePath = join(directory, lockfileName);
  let output: { appliedMigrationNames: string[] };
  try {
    output = await withSchemaEngine([providerDatamodel(provider)], adapterFactory, (engine) =>
      engine.applyMigrations({
        migrationsList: {
          baseDir: directory,
          lockfile: {
            path: lockfileName,
            content: existsSync(lockfilePath) ? readFileSync(lockfilePath, 'utf8') : null,
          },
          shadowDbInitScript: '',
          migrationDirectories: migrations.map((migration) => ({
            path: migration.name,
            migrationFile: {
              path: migrationFileName,
              content: { tag: 'ok', value: migration.sql },
            },
          })),
        },
        filters: { externalTables: [], externalEnums: [] },
      }),
    );
  } catch (error) {
    throw explainEngineError(provider, error);
  }
  return { applied: output.appliedMigrationNames, durationMs: performance.now() - started };
}

/**
 * Whether the database already recorded exactly these migrations as applied, none failed: then
 * there is nothing to do and the engine is not started. This saves its start-up (and the
 * WebAssembly memory it keeps), and on SQLite it matters: the engine takes the file in
 * exclusive locking mode, which waits for every other connection to the file to close. Any
 * doubt (no table yet, an unreadable database) answers false and leaves the verdict to the
 * engine.
 */
export async function migrationsUpToDate(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  migrations: readonly Migration[],
): Promise<boolean> {
  let connection: SqlDriverAdapter | undefined;
  try {
    connection = await adapterFactory.connect();
    const result = await connection.queryRaw({
      sql: 'SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations',
      args: [],
      argTypes: [],
    });
    const applied = new Set<string>();
    for (const [name, finished, rolledBack] of result.rows) {
      if (truthy(rolledBack)) continue;
      if (!truthy(finished)) return false;
      applied.add(String(name));
    }
    return (
      applied.size === migrations.length &&
      migrations.every((migration) => applied.has(migration.name))
    );
  } catch {
    return false;
  } finally {
    await connection?.dispose().catch(() => {});
  }
}

/** SQLite answers booleans as 0/1 (or 0n/1n), PostgreSQL as booleans. */
function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === '1' || value === 't';
}

/**
 * The engine reports SQLite's "database is locked" as an unknown `SocketTimeout` variant; say
 * what it means.
 */
function explainEngineError(provider: DatabaseProvider, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (provider === 'sqlite' && /SocketTimeout|SQLITE_BUSY|database is locked/.test(message)) {
    return new Error(
      'Cannot migrate the SQLite database: it stayed locked by another connection. Migrating ' +
        'needs the file to itself; stop the other processes using it (another registry?) and retry.',
      { cause: error },
    );
  }
  return error;
}

/** A schema with only a datasource: all the engine needs to know which database it talks to. */
export function providerDatamodel(provider: DatabaseProvider): DatamodelFile {
  return {
    path: 'datasource.prisma',
    content: `datasource db {\n  provider = "${provider}"\n}\n`,
  };
}
