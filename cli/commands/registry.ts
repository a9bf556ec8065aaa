import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

interface RegistryFlags {
  host?: string;
  port?: string;
  databaseUrl?: string;
}

export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('run the mesh registry');
  registry
    .command('start')
    .description(
      'start a registry in the foreground (SQLite file by default; DATABASE_URL=postgres://… for PostgreSQL)',
    )
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env PORT, default 8000)')
    .option('--database-url <url>', 'file:/path.db or postgres://… (env DATABASE_URL)')
    .action(async (flags: RegistryFlags) => {
      // Loaded on use: the registry pulls in fastify and Prisma, which other commands never need.
      const {
        DatabaseUrlError,
        RegistryConfigError,
        registryConfigFromEnvironment,
        startRegistry,
      } = await import('@mcp-mesh/registry');
      let config: ReturnType<typeof registryConfigFromEnvironment>;
      try {
        config = registryConfigFromEnvironment({
          ...process.env,
          ...(flags.host === undefined ? {} : { HOST: flags.host }),
          ...(flags.port === undefined ? {} : { PORT: flags.port }),
          ...(flags.databaseUrl === undefined ? {} : { DATABASE_URL: flags.databaseUrl }),
        });
      } catch (error) {
        if (error instanceof RegistryConfigError || error instanceof DatabaseUrlError)
          throw new UsageError(error.message);
        throw error;
      }
      const running = await startRegistry(config);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
      });
      await running.close();
    });
}
