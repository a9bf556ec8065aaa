import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseTarget } from './database-url.js';

/**
 * The driver adapter factory migrations reach a database through. PostgreSQL gets a pool of
 * one connection of its own, closed when the migrations are done: the schema engine holds a
 * session advisory lock while it migrates and leaves it to the end of the session. Each
 * database's driver is loaded only when used: the other's costs memory.
 */
export async function migrationAdapterFactory(
  target: DatabaseTarget,
  busyTimeoutMs: number,
): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (target.provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSqlite3({ url: target.path, timeout: busyTimeoutMs });
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new PrismaPg({ connectionString: target.url, max: 1 });
}
