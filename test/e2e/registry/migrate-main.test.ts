/**
 * The registry's migrations as a command of their own (`registry/dist/registry/migrate-main.js`,
 * what the Helm chart's init container runs), on a PostgreSQL database of the test's own:
 * replicas migrating at once apply each migration once, a second run finds nothing to do, and a
 * bad DATABASE_URL stops it with one line that says so.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../../registry/store/test-databases.js';
import { repositoryRoot } from '../support/registry-process.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function migrate(databaseUrl: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['registry/dist/registry/migrate-main.js'],
      { cwd: repositoryRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const migrationNames = readdirSync(join(repositoryRoot, 'prisma/migrations/postgresql'), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('registry migrations as an init container runs them', { timeout: 90_000 }, () => {
  it('three replicas at once apply each migration once; the next run applies nothing', async () => {
    const database = await createTestPostgresDatabase();
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrate(database.url)));
      for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
      const applied = runs.flatMap(
        (run) =>
          (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { applied: string[] }).applied,
      );
      expect(applied.sort()).toEqual(migrationNames);

      const again = await migrate(database.url);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout.trim())).toMatchObject({
        msg: 'database schema up to date',
        applied: [],
      });

      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const recorded = await client.query<{ migration_name: string }>(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
        );
        expect(recorded.rows.map((row) => row.migration_name)).toEqual(migrationNames);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });

  it('a DATABASE_URL it cannot use stops it with one line naming the problem', async () => {
    const run = await migrate('mysql://somewhere/mesh');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^cannot migrate the registry's database: .*DATABASE_URL/);
  });
});
