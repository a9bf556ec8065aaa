/**
 * Registry fixtures for vitest: the two storage backends, and a `useRegistry` that starts one
 * registry process on a throw-away database before a suite and removes both after it, even
 * when the suite failed.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  createTestPostgresDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { RegistryClient } from './registry-client.js';
import { type RegistryProcess, startRegistryProcess } from './registry-process.js';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

/** Every storage backend the registry supports; suites run once per entry. */
export const backends: readonly Backend[] = [
  { name: 'sqlite', create: async () => createTestSqliteDatabase() },
  { name: 'postgres', create: createTestPostgresDatabase },
];

/**
 * Declares `suite` once per backend, titled `<backend> > <title>`. The backends run side by
 * side (each suite has its own registry processes and database, so they cannot interfere);
 * the tests of one backend run in order.
 */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  describe.each(backends)('$name', { concurrent: true }, (backend) => {
    describe.sequential(title, () => suite(backend));
  });
}

export interface RegistryFixture {
  /** Set once `beforeAll` ran. */
  readonly registry: RegistryProcess;
  readonly client: RegistryClient;
  readonly database: TestDatabase;
}

/**
 * Inside a `describe`: one registry process with its own database of `backend` for the whole
 * suite, configured by `env`.
 */
export function useRegistry(
  backend: Backend,
  env: Readonly<Record<string, string>> = {},
): RegistryFixture {
  let database: TestDatabase | undefined;
  let registry: RegistryProcess | undefined;
  let client: RegistryClient | undefined;
  beforeAll(async () => {
    database = await backend.create();
    registry = await startRegistryProcess({ databaseUrl: database.url, env });
    client = new RegistryClient(registry.url);
  });
  afterAll(async () => {
    try {
      await registry?.stop();
    } finally {
      await database?.drop();
    }
  });
  return {
    get registry() {
      if (!registry) throw new Error('the registry has not started (beforeAll failed?)');
      return registry;
    },
    get client() {
      if (!client) throw new Error('the registry has not started (beforeAll failed?)');
      return client;
    },
    get database() {
      if (!database) throw new Error('the database was not created (beforeAll failed?)');
      return database;
    },
  };
}

/**
 * Inside a test: a database of `backend` of its own, and registry processes the test starts
 * on it (several in turn, e.g. across a restart). Processes still running when the test ends
 * are stopped and the database dropped, whatever happened; pass the test context's
 * `onTestFinished` so that this also holds for concurrent tests.
 */
export async function useDatabase(
  backend: Backend,
  onTestFinished: (cleanup: () => Promise<void>) => void,
): Promise<{
  readonly database: TestDatabase;
  start(env?: Readonly<Record<string, string>>): Promise<RegistryProcess>;
}> {
  const database = await backend.create();
  const started = new Set<RegistryProcess>();
  onTestFinished(async () => {
    try {
      await Promise.all([...started].map((process) => process.stop()));
    } finally {
      await database.drop();
    }
  });
  return {
    database,
    async start(env = {}) {
      const process = await startRegistryProcess({ databaseUrl: database.url, env });
      started.add(process);
      return process;
    },
  };
}
