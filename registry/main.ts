// `npm run registry` / `meshctl registry start`: one registry process, configured from the
// environment (see config.ts), until SIGTERM or SIGINT.
import { registryConfigFromEnvironment } from './config.js';
import { startRegistry } from './start-registry.js';

const config = registryConfigFromEnvironment();
const running = await startRegistry(config);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    running.app.log.info({ signal }, 'registry stopping');
    void running.close().then(() => process.exit(0));
  });
}
