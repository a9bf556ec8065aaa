import { agentOrigin } from '@mcp-mesh/runtime/shared';
import { buildRegistryApp, type RegistryApp } from './app.js';
import type { RegistryConfig } from './config.js';
import { registryVersion } from './health/routes.js';
import { PrismaRegistryStore } from './persistence/prisma-registry-store.js';
import { describeDatabaseTarget, parseDatabaseUrl } from './store/database-url.js';
import { openStore } from './store/open-store.js';
import { endpointOf } from './topology/registration.js';
import { startRegistryTracing } from './traces/registry-tracing.js';

export interface RunningRegistry extends RegistryApp {
  /** `http://host:port` it listens on (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** Opens the database (applying migrations), builds the app and listens. */
export async function startRegistry(
  config: RegistryConfig,
  options: { logLevel?: string } = {},
): Promise<RunningRegistry> {
  // OTEL_* configure it; off (the default) the OpenTelemetry SDK is never loaded.
  const tracing = await startRegistryTracing(
    process.env,
    registryVersion,
    `registry-${process.pid}`,
  );
  const store = new PrismaRegistryStore(await openStore(config.databaseUrl));
  const built = await buildRegistryApp(config, store, options);
  const address = await built.app.listen({ host: config.host, port: config.port });
  built.app.log.info(
    { address, database: describeDatabaseTarget(parseDatabaseUrl(config.databaseUrl)) },
    'registry listening',
  );
  const url = new URL(address);
  return {
    ...built,
    url: agentOrigin(
      endpointOf({ httpHost: config.host, httpPort: Number(url.port) }),
      config.tls?.certFile !== undefined,
    ),
    async close() {
      await built.app.close();
      await store.close();
      await tracing?.shutdown();
    },
  };
}
