// `node registry/dist/registry/migrate-main.js`: brings the database of DATABASE_URL up to date
// with the registry's migrations and exits — what the Helm chart's init container runs before each
// registry replica starts. Replicas starting together are safe: PostgreSQL migrations hold an
// advisory lock, so one applies them and the others find nothing left to do.
import pino from 'pino';
import { RegistryConfigError, registryConfigFromEnvironment } from './config.js';
import {
  DatabaseUrlError,
  describeDatabaseTarget,
  parseDatabaseUrl,
} from './store/database-url.js';
import { openStore } from './store/open-store.js';

const log = pino({ base: { component: 'registry-migrations' } });
let databaseUrl: string | undefined;
try {
  databaseUrl = registryConfigFromEnvironment().databaseUrl;
} catch (error) {
  if (!(error instanceof RegistryConfigError || error instanceof DatabaseUrlError)) throw error;
  console.error(`cannot migrate the registry's database: ${error.message}`);
  process.exit(1);
}
const database = describeDatabaseTarget(parseDatabaseUrl(databaseUrl));
try {
  const store = await openStore(databaseUrl);
  await store.close();
  const { applied, durationMs } = store.migrations;
  log.info(
    { database, applied, duration_ms: Math.round(durationMs) },
    applied.length === 0 ? 'database schema up to date' : 'migrations applied',
  );
} catch (error) {
  // A MigrationError's message names the migration and what to do; others say what failed.
  console.error(
    `cannot migrate the registry's database (${database}): ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
