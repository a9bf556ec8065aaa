import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PrismaClient as SqlitePrismaClient } from '../../generated/prisma/sqlite/client.js';
import {
  type DatabaseProvider,
  type DatabaseTarget,
  type DatabaseUrlOptions,
  parseDatabaseUrl,
} from './database-url.js';
import type { ApplyMigrationsResult } from './migrate.js';
import {
  applyMigrationsInChildProcess,
  type MigrateInChildProcessOptions,
} from './migrate-in-child-process.js';

const defaultBusyTimeoutMs = 5000;

/**
 * The registry's Prisma client. Both providers' clients are generated from the same models, so
 * they expose the same queries; the type is the SQLite client's, the smaller feature set
 * (PostgreSQL-only options such as `mode: 'insensitive'` are not offered), which keeps code
 * written against it valid on both databases.
 */
export type RegistryPrismaClient = SqlitePrismaClient;

export interface Store {
  readonly prisma: RegistryPrismaClient;
  readonly provider: DatabaseProvider;
  readonly target: DatabaseTarget;
  /** What opening did to the schema: the migrations it applied (usually none). */
  readonly migrations: ApplyMigrationsResult;
  /** Disconnects the client; calling it again does nothing. */
  close(): Promise<void>;
}

export interface OpenStoreOptions extends DatabaseUrlOptions {
  /** Milliseconds SQLite waits for a lock held by another connection; default 5000. */
  readonly busyTimeoutMs?: number;
  /** Folder of migrations; default `prisma/migrations/<provider>` of this project. */
  readonly migrationsDirectory?: string;
}

/**
 * Opens the registry's database, given as a `DATABASE_URL` (unset: the embedded SQLite file),
 * brings its schema up to date with the migrations (in a child process when any is pending, see
 * `applyMigrationsInChildProcess`), and returns a connected Prisma client.
 * SQLite runs in WAL mode with `synchronous=NORMAL` and foreign keys on (cascading deletes need
 * them); its folder is created.
 */
export async function openStore(
  url: string | undefined,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const target = parseDatabaseUrl(url, options);
  return target.provider === 'sqlite' ? openSqlite(target, options) : openPostgres(target, options);
}

async function openSqlite(
  target: Extract<DatabaseTarget, { provider: 'sqlite' }>,
  options: OpenStoreOptions,
): Promise<Store> {
  const timeout = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
  mkdirSync(dirname(target.path), { recursive: true });
  // WAL is a property of the file: set once, before anything else opens it.
  const raw = new Database(target.path, { timeout });
  try {
    raw.pragma('journal_mode = WAL');
  } finally {
    raw.close();
  }
  const migrations = await applyMigrationsInChildProcess(target, migrationOptions(options));
  // Each database's client and driver are loaded only when used: the other's cost memory.
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const { PrismaClient } = await import('../../generated/prisma/sqlite/client.js');
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: target.path, timeout }),
  });
  try {
    await prisma.$connect();
    // Per-connection settings; the adapter keeps one connection for the client's lifetime.
    await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await prisma.$executeRawUnsafe(`PRAGMA busy_timeout = ${Math.trunc(timeout)}`);
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return store(prisma, target, migrations);
}

async function openPostgres(
  target: Extract<DatabaseTarget, { provider: 'postgresql' }>,
  options: OpenStoreOptions,
): Promise<Store> {
  const migrations = await applyMigrationsInChildProcess(target, migrationOptions(options));
  // Each database's client and driver are loaded only when used: the other's cost memory.
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { PrismaClient } = await import('../../generated/prisma/postgresql/client.js');
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: target.url }),
  });
  try {
    await prisma.$connect();
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return store(prisma as unknown as RegistryPrismaClient, target, migrations);
}

function migrationOptions(options: OpenStoreOptions): MigrateInChildProcessOptions {
  const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
  return options.migrationsDirectory === undefined
    ? { busyTimeoutMs }
    : { busyTimeoutMs, directory: options.migrationsDirectory };
}

function store(
  prisma: RegistryPrismaClient,
  target: DatabaseTarget,
  migrations: ApplyMigrationsResult,
): Store {
  let closed: Promise<void> | undefined;
  return {
    prisma,
    provider: target.provider,
    target,
    migrations,
    close: () => {
      closed ??= prisma.$disconnect();
      return closed;
    },
  };
}
