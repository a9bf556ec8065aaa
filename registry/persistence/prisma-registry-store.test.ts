import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import {
  createTestPostgresDatabase,
  createTestSqliteDatabase,
  type TestDatabase,
} from '../store/test-databases.js';
import type { AgentRegistration } from '../topology/registration.js';
import { PrismaRegistryStore } from './prisma-registry-store.js';
import type { StoredAgent } from './registry-store.js';

function registration(tools: AgentRegistration['tools']): AgentRegistration {
  return {
    agentId: 'greeter-1',
    agentType: 'mcp_agent',
    name: 'greeter',
    version: '1.2.0',
    description: "It's a greeter",
    namespace: 'default',
    httpHost: '127.0.0.1',
    httpPort: 9001,
    runtime: 'typescript',
    tools,
  };
}

const greet: AgentRegistration['tools'][number] = {
  functionName: 'greet',
  capability: 'greeting',
  version: '1.0.0',
  tags: ['demo', 'ünïcode'],
  description: 'Greets',
  inputSchema: { type: 'object', properties: { name: { type: 'string' } } },
  outputSchema: { type: 'object' },
  kwargs: { timeout: 2.5, custom_headers: { 'x-team': 'a' }, cache_ttl: '5s' },
  dependencies: [
    {
      capability: 'date_service',
      version: '>=1.0.0',
      tags: ['system', '+fast', '-beta', ['eu', 'us']],
      required: false,
    },
    { capability: 'clock', version: '*', tags: [], namespace: 'prod', required: true },
    {
      capability: 'geo_pro',
      version: '>=2.0.0,<3.0.0',
      tags: ['+eu'],
      required: true,
      fallbacks: [
        { capability: 'geo_basic', version: '!=1.2.0', tags: [['eu', 'us']], namespace: 'prod' },
        { capability: 'geo_free', version: '*', tags: [] },
      ],
    },
  ],
};

const stored = (tools: AgentRegistration['tools'], hash: string): StoredAgent => ({
  registration: registration(tools),
  registrationHash: hash,
  status: 'healthy',
  lastSeen: new Date('2026-11-22T01:02:03.456Z'),
  createdAt: new Date('2026-11-21T00:00:00.000Z'),
});

describe.each([
  ['sqlite', () => Promise.resolve(createTestSqliteDatabase())],
  ['postgresql', createTestPostgresDatabase],
] as const)('PrismaRegistryStore on %s', (_name, createDatabase) => {
  let database: TestDatabase;
  let store: PrismaRegistryStore;

  beforeAll(async () => {
    database = await createDatabase();
    store = new PrismaRegistryStore(await openStore(database.url));
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('stores a registration and reads back exactly what was stored', async () => {
    const agent = stored([greet], 'hash-1');
    await store.saveRegistration(agent);
    expect(await store.loadAgent('greeter-1')).toEqual(agent);
    expect(await store.loadAgents()).toEqual([agent]);
  });

  it('replaces the tools and dependencies of a changed registration, keeping created_at', async () => {
    const renamed = { ...greet, functionName: 'hello', dependencies: [greet.dependencies[0]!] };
    const agent = {
      ...stored([renamed], 'hash-2'),
      createdAt: new Date('2030-01-01T00:00:00.000Z'),
    };
    await store.saveRegistration(agent);
    const loaded = await store.loadAgent('greeter-1');
    expect(loaded?.registration.tools).toEqual([renamed]);
    expect(loaded?.registrationHash).toBe('hash-2');
    expect(loaded?.createdAt).toEqual(new Date('2026-11-21T00:00:00.000Z'));
  });

  it('writes status and batched sightings, and deletes with everything below', async () => {
    await store.saveStatus('greeter-1', 'unhealthy', new Date('2026-11-22T02:00:00.000Z'));
    expect((await store.loadAgent('greeter-1'))?.status).toBe('unhealthy');
    await store.saveRegistration(stored([greet], 'hash-3'));
    await store.saveLastSeen(new Map([['greeter-1', Date.parse('2026-11-22T03:00:00.000Z')]]));
    expect(await store.lastSeenOf(['greeter-1', 'nobody'])).toEqual(
      new Map([['greeter-1', Date.parse('2026-11-22T03:00:00.000Z')]]),
    );
    expect(await store.deleteAgent('greeter-1')).toBe(true);
    expect(await store.deleteAgent('greeter-1')).toBe(false);
    expect(await store.loadAgents()).toEqual([]);
  });
});
