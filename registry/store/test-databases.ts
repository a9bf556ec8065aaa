/**
 * Throw-away databases for tests: an SQLite file in a temporary folder, or a PostgreSQL
 * database of the test's own (`mesh_test_<random>`) on the server of `MESH_TEST_POSTGRES_URL`
 * (default `postgres://postgres@127.0.0.1:5432/postgres`, trust auth). Each comes with a
 * `drop()` that removes it, to call in `afterAll` whatever happened.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** A `DATABASE_URL` for it. */
  readonly url: string;
  /** Removes it; safe to call twice, and when creating it failed half-way. */
  drop(): Promise<void>;
}

/** The server's maintenance database, where test databases are created and dropped. */
export function postgresAdminUrl(): string {
  return process.env.MESH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function createTestSqliteDatabase(): TestDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'mesh-test-sqlite-'));
  return {
    url: `file:${join(directory, 'state', 'registry.db')}`,
    drop: async () => {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function createTestPostgresDatabase(): Promise<TestDatabase> {
  const name = `mesh_test_${randomBytes(6).toString('hex')}`;
  const adminUrl = postgresAdminUrl();
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    drop: () => {
      // FORCE ends sessions a failed test left open (PostgreSQL 13+).
      dropped ??= withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
      return dropped;
    },
  };
}

async function withAdmin(
  url: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
