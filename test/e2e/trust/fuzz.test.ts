// Hostile input, property-based (fast-check), against a real registry process and a real agent
// process: malformed JSON, wrong types, oversized and deeply nested bodies, control and unicode
// characters in ids, path tricks. Every answer is a 4xx with a JSON error (none a 5xx), nothing
// is stored, both processes keep serving, and their memory stays bounded.
// FUZZ_FACTOR=20 npx vitest run test/e2e/trust/fuzz.test.ts searches longer.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { type AgentProcess, startAgentProcess } from '../runtime/support/agent-process.js';
import { type Answer, agentBody, RegistryClient, tool } from '../support/registry-client.js';
import { type RegistryProcess, startRegistryProcess } from '../support/registry-process.js';

const factor = Number(process.env.FUZZ_FACTOR ?? 1);
const runs = (numRuns: number) => ({ numRuns: Math.max(1, Math.round(numRuns * factor)) });
const bodyLimit = 65_536;

const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** A JSON value nested `depth` levels deep, built without recursion. */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Values of every JSON type but `keep`. */
const wrongTyped = (keep: 'string' | 'integer' | 'array') =>
  fc.oneof(
    ...(keep === 'string' ? [] : [fc.string()]),
    ...(keep === 'integer' ? [] : [fc.integer()]),
    fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    ...(keep === 'array' ? [] : [fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })]),
  );

/** Ids the API refuses: control characters, unicode beyond its pattern, path separators. */
const hostileId = fc
  .tuple(
    fc.string({ maxLength: 20, unit: 'binary' }),
    fc.constantFrom('\u0000', '\u0007', '\n', '\u202e', '/', '..', '\ud83d\ude00', ' ', '%', '?#'),
    fc.string({ maxLength: 20, unit: 'grapheme' }),
  )
  .map(([before, hostile, after]) => `${before}${hostile}${after}`);

describe('hostile input', () => {
  let database: TestDatabase;
  let registry: RegistryProcess;
  let client: RegistryClient;
  let agent: AgentProcess;
  const seeded = agentBody('fuzz-seeded-agent', [tool('t', 'fuzz-cap')]);
  let storedEvents = 0;

  const expectJsonError = (answer: Answer, what: string) => {
    expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    if (answer.text !== '') {
      expect(answer.json, `${what}: not JSON: ${answer.text.slice(0, 300)}`).toBeTypeOf('object');
    }
  };
  const raw = (method: string, path: string, body?: string): Promise<Answer> =>
    client.call(
      method,
      path,
      body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } },
    );
  const nothingStored = async () => {
    const agents = await client.agents();
    expect(agents.map((listed) => listed.id)).toEqual([seeded.agent_id]);
    expect((await client.events({ limit: 1000 })).length).toBe(storedEvents);
  };

  beforeAll(async () => {
    database = createTestSqliteDatabase();
    registry = await startRegistryProcess({
      databaseUrl: database.url,
      env: { MCP_MESH_REGISTRY_BODY_LIMIT: String(bodyLimit) },
    });
    client = new RegistryClient(registry.url);
    await client.register(seeded);
    // Registration events are written in the background: wait for them to settle.
    for (let previous = -1; ; ) {
      storedEvents = (await client.events({ limit: 1000 })).length;
      if (storedEvents === previous && storedEvents > 0) break;
      previous = storedEvents;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    agent = await startAgentProcess({
      module: 'bench/proxy/echo-agent.ts',
      env: { MCP_MESH_REGISTRY_URL: 'off' },
    });
  });
  afterAll(async () => {
    try {
      await agent?.stop();
      await registry?.stop();
    } finally {
      await database?.drop();
    }
  });

  it('registry: malformed JSON, wrong types and deep nesting are 400 JSON errors, nothing stored', async () => {
    const before = rssOf(registry.pid);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200, unit: 'binary' }), async (text) => {
        fc.pre(!isJsonObject(text));
        expectJsonError(await raw('POST', '/heartbeat', text), 'malformed JSON');
      }),
      runs(40),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          wrongTyped('string').map((value) => ({ ...seeded, agent_id: value })),
          wrongTyped('integer').map((value) => ({
            ...seeded,
            agent_id: 'fuzz-x',
            http_port: value,
          })),
          wrongTyped('array').map((value) => ({ ...seeded, agent_id: 'fuzz-x', tools: value })),
          wrongTyped('string').map((value) => ({
            ...seeded,
            agent_id: 'fuzz-x',
            tools: [{ function_name: 't', capability: value }],
          })),
        ),
        async (body) => {
          expectJsonError(await raw('POST', '/heartbeat', JSON.stringify(body)), 'wrong type');
        },
      ),
      runs(60),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 10_000 }),
        fc.constantFrom('array' as const, 'object' as const),
        async (depth, kind) => {
          const body = `{"agent_id":"fuzz-deep","http_port":${nested(depth, kind)}}`;
          const answer = await raw('POST', '/heartbeat', body);
          expectJsonError(answer, `nested ${depth}`);
        },
      ),
      runs(15),
    );
    const oversized = await raw(
      'POST',
      '/heartbeat',
      JSON.stringify({ ...seeded, description: 'x'.repeat(bodyLimit) }),
    );
    expect(oversized.status).toBe(413);
    expect((oversized.json as { error: string }).error).toBe('payload_too_large');
    await nothingStored();
    expect((await client.get('/health')).status).toBe(200);
    expect(rssOf(registry.pid) - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('registry: hostile ids and path tricks on every route are 4xx JSON errors, nothing changed', async () => {
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => {
        const encoded = encodeURIComponent(id);
        expectJsonError(
          await raw('POST', '/heartbeat', JSON.stringify({ ...seeded, agent_id: id })),
          `register ${JSON.stringify(id)}`,
        );
        expect((await raw('HEAD', `/heartbeat/${encoded}`)).status).toBe(410);
        expect((await raw('DELETE', `/agents/${encoded}`)).status).toBe(204);
        expectJsonError(await raw('GET', `/agents/${encoded}/dependencies`), 'dependencies');
        expectJsonError(
          await raw('POST', `/proxy/${encoded}/mcp`, '{"jsonrpc":"2.0","id":1,"method":"ping"}'),
          'proxy',
        );
        for (const query of [`status=${encoded}`, `limit=${encoded}`, `type=${encoded}`]) {
          const answer = await raw(
            'GET',
            `/${query.startsWith('status') ? 'agents' : 'events'}?${query}`,
          );
          if (answer.status !== 200) expectJsonError(answer, query);
        }
      }),
      runs(30),
    );
    const tricks = [
      '/agents/..%2F..%2Fetc%2Fpasswd/dependencies',
      '/heartbeat/%00',
      '//agents/x',
      '/agents/%2e%2e',
      '/proxy/../agents',
      '/events?limit=1e3',
      '/events?limit=-1',
      `/agents/${'a'.repeat(4000)}/dependencies`,
      '/agents?tags=%ff%fe',
      '/watch?revision=-5&agent_id=%00',
    ];
    for (const path of tricks) {
      for (const method of ['GET', 'POST', 'DELETE', 'PUT']) {
        const answer = await raw(method, path, method === 'GET' ? undefined : '{}');
        if (answer.status >= 300) expectJsonError(answer, `${method} ${path}`);
      }
    }
    await nothingStored();
    expect((await client.get('/health')).status).toBe(200);
  });

  it('agent: /mcp, /metadata and the probes answer hostile requests with 4xx and keep serving', async () => {
    const before = rssOf(agent.pid);
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${agent.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body,
      });
      const text = await response.text();
      return { status: response.status, text };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200, unit: 'binary' }),
          fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
          fc
            .record({
              jsonrpc: wrongTyped('string'),
              id: fc.jsonValue({ maxDepth: 1 }),
              method: fc.oneof(fc.string(), wrongTyped('string')),
              params: fc.jsonValue({ maxDepth: 2 }),
            })
            .map((value) => JSON.stringify(value)),
          fc.integer({ min: 100, max: 5_000 }).map((depth) => nested(depth, 'array')),
        ),
        async (body) => {
          const answer = await post(body);
          expect(
            answer.status,
            `${body.slice(0, 100)} -> ${answer.text.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (answer.status >= 400 && answer.text !== '')
            expect(() => JSON.parse(answer.text)).not.toThrow();
        },
      ),
      runs(60),
    );
    // The agent answers 413 and closes the connection, which may cut the upload short (EPIPE):
    // either way the body is refused.
    const oversized = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'ping',
        params: { pad: 'x'.repeat(5 * 1024 * 1024) },
      }),
    ).catch((error: Error) => {
      const code = (error.cause as { code?: string } | undefined)?.code;
      if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error;
      return { status: 413, text: code };
    });
    expect(oversized.status).toBe(413);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/metadata', '/livez', '/ready', '/health', '/metrics', '/mcp'),
        fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.string({ maxLength: 40, unit: 'binary' }),
        async (path, method, junk) => {
          const response = await fetch(`${agent.url}${path}?q=${encodeURIComponent(junk)}`, {
            method,
          });
          await response.arrayBuffer();
          expect(response.status, `${method} ${path}`).toBeLessThan(500);
        },
      ),
      runs(40),
    );
    const live = await fetch(`${agent.url}/livez`);
    expect(live.status).toBe(200);
    expect(rssOf(agent.pid) - before).toBeLessThan(200 * 1024 * 1024);
  });
});

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
