// `npm run registry` / `meshctl registry start`: one registry process, configured from the
// environment (see config.ts), until SIGTERM or SIGINT.
import {
  type RegistryConfig,
  RegistryConfigError,
  registryConfigFromEnvironment,
} from './config.js';
import { startRegistry } from './start-registry.js';
import { DatabaseUrlError } from './store/database-url.js';

const config = configuration();
const running = await startRegistry(config);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    running.app.log.info({ signal }, 'registry stopping');
    void running.close().then(() => process.exit(0));
  });
}

// A setting the registry cannot use is the user's to fix: its message alone, no stack trace.
function configuration(): RegistryConfig {
  try {
    return registryConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof RegistryConfigError || error instanceof DatabaseUrlError)) throw error;
    console.error(`cannot start the registry: ${error.message}`);
    process.exit(1);
  }
}
