/**
 * `npm run migration:create -- <name>`: writes a migration for each database provider from the
 * change between the latest migration's schema and `prisma/<provider>/schema.prisma` (run
 * `npm run generate` first). Needs no database. Prints what it wrote; writes nothing for a
 * provider whose schema did not change.
 */
import { relative } from 'node:path';
import type { DatabaseProvider } from './database-url.js';
import { createMigration } from './migration-diff.js';

const providers: readonly DatabaseProvider[] = ['sqlite', 'postgresql'];

async function main(argv: readonly string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined || argv.length > 1 || name.startsWith('-')) {
    process.stderr.write('usage: npm run migration:create -- <name>   (e.g. add_agent_labels)\n');
    return 2;
  }
  const now = new Date();
  for (const provider of providers) {
    const created = await createMigration(provider, name, { now });
    process.stdout.write(
      created.directory === undefined
        ? `${provider}: schema unchanged, no migration\n`
        : `${provider}: wrote ${relative(process.cwd(), created.directory)}/migration.sql\n`,
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
