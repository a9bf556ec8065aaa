/**
 * Building blocks of the runtime end-to-end tests: registries on throw-away SQLite files with
 * short health intervals, agents run in process with `runAgent`, MCP clients, free ports, and
 * inline agent metadata. Everything started goes through a `Cleanup`, so it ends after the
 * test whatever happened.
 */

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../../registry/store/test-databases.js';
import type { AgentDefinition } from '../../../../runtime/agent/define-agent.js';
import type { RuntimeConfig } from '../../../../runtime/config.js';
import type { DependencyMetadata, ToolKwargs, ToolMetadata } from '../../../../runtime/metadata.js';
import { type RunningAgent, runAgent } from '../../../../runtime/run-agent.js';
import { freePort } from '../../support/free-port.js';
import { RegistryClient } from '../../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../../support/registry-process.js';
import type { Cleanup } from './cleanup.js';

export { freePort };

/**
 * Registry settings that make health and expiry quick enough for tests. (The log level stays
 * `info`: the process helper waits for the `registry listening` line.)
 */
export const fastRegistryEnv = {
  DEFAULT_TIMEOUT_THRESHOLD: '2',
  HEALTH_CHECK_INTERVAL: '0.2',
} as const;

/** Agent settings for tests: quick heartbeats, short start-up wait, quiet logs. */
export const fastAgentEnv = {
  MCP_MESH_HEALTH_INTERVAL: '0.5',
  MCP_MESH_STARTUP_WAIT: '1',
  MCP_MESH_SHUTDOWN_TIMEOUT: '2',
} as const;

export interface TestRegistry {
  readonly process: RegistryProcess;
  readonly client: RegistryClient;
  readonly url: string;
}

/** A throw-away SQLite database, removed after the test. */
export function sqliteDatabase(cleanup: Cleanup): TestDatabase {
  return cleanup.defer(createTestSqliteDatabase(), (database) => database.drop());
}

/**
 * A registry process on `database` (new one when omitted) with fast health settings, stopped
 * after the test. `port` pins the port (to restart a registry where agents expect it).
 */
export async function startTestRegistry(
  cleanup: Cleanup,
  options: { database?: TestDatabase; port?: number; env?: Record<string, string> } = {},
): Promise<TestRegistry> {
  const database = options.database ?? sqliteDatabase(cleanup);
  const registry = await startRegistryProcess({
    databaseUrl: database.url,
    env: {
      ...fastRegistryEnv,
      ...(options.port === undefined ? {} : { PORT: String(options.port) }),
      ...options.env,
    },
  });
  cleanup.defer(registry, (process) => process.stop());
  return { process: registry, client: new RegistryClient(registry.url), url: registry.url };
}

let agentCounter = 0;

/** Runtime settings for an in-process agent: fast heartbeats, any port, quiet logs. */
export function testConfig(
  definition: AgentDefinition,
  registryUrl: string | undefined,
  overrides: Partial<RuntimeConfig> = {},
): RuntimeConfig {
  agentCounter += 1;
  return {
    agentId: `${definition.metadata.name}-${process.pid}-${agentCounter}`,
    host: '127.0.0.1',
    port: 0,
    registryUrl,
    heartbeatIntervalMs: 500,
    authToken: undefined,
    propagateHeaders: [],
    startupWaitMs: 1_000,
    shutdownTimeoutMs: 2_000,
    logLevel: 'silent',
    redisUrl: undefined,
    redisKeyPrefix: `mcp-mesh-test-${process.pid}:`,
    sessionTtlMs: 60_000,
    ...overrides,
  };
}

/** Runs an agent in this process (real HTTP server, real registry link), stopped after the test. */
export async function startInProcessAgent(
  cleanup: Cleanup,
  definition: AgentDefinition,
  registryUrl: string | undefined,
  overrides: Partial<RuntimeConfig> = {},
): Promise<RunningAgent> {
  const agent = await runAgent(definition, testConfig(definition, registryUrl, overrides));
  return cleanup.defer(agent, (running) => running.stop());
}

/** An MCP client (SDK v2, negotiating the newest era) connected to an agent, closed after the test. */
export async function connectClient(
  cleanup: Cleanup,
  agentUrl: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client(
    { name: 'runtime-e2e', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', agentUrl), { requestInit: { headers } }),
  );
  return cleanup.defer(client, (connected) => connected.close());
}

// ---------------------------------------------------------------------------------------------
// Inline agent metadata.

const anyObject = { type: 'object', additionalProperties: true } as const;

/** A tool's metadata with permissive schemas; `dependencies` by capability. */
export function toolMetadata(
  name: string,
  capability: string,
  options: {
    kwargs?: ToolKwargs;
    dependencies?: readonly (string | Partial<DependencyMetadata>)[];
    tags?: readonly string[];
  } = {},
): ToolMetadata {
  return {
    name,
    capability,
    version: '1.0.0',
    tags: options.tags ?? [],
    inputSchema: anyObject,
    kwargs: options.kwargs ?? {},
    dependencies: (options.dependencies ?? []).map((dependency) => {
      const given = typeof dependency === 'string' ? { capability: dependency } : dependency;
      const capabilityName = given.capability ?? 'unknown';
      return {
        capability: capabilityName,
        version: given.version ?? '*',
        tags: given.tags ?? [],
        required: given.required ?? false,
        parameter: given.parameter ?? capabilityName,
      };
    }),
  };
}

/** Polls `probe` until it answers something truthy; fails after `timeoutMs` with the last value. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 5_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
