// The migration process, started by applyMigrationsInChildProcess (migrate-in-child-process.ts):
// it takes one request over IPC, applies the migrations, answers and exits, and the schema
// engine's memory goes with it.

import { applyMigrations } from './migrate.js';
import type { MigrationAnswer, MigrationRequest } from './migrate-in-child-process.js';
import { migrationAdapterFactory } from './migration-adapter.js';

async function migrate(request: MigrationRequest): Promise<MigrationAnswer> {
  try {
    const factory = await migrationAdapterFactory(request.target, request.busyTimeoutMs);
    const result = await applyMigrations(request.target.provider, factory, {
      directory: request.directory,
    });
    return { ok: true, result };
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return {
      ok: false,
      message: typeof message === 'string' ? message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
}

// Without the registry there is no one to answer: stop rather than linger.
process.once('disconnect', () => process.exit(1));
process.once('message', (request) => {
  void migrate(request as MigrationRequest).then((answer) => {
    process.send?.(answer, () => process.exit(0));
  });
});
