// Bad input against a real registry process, on SQLite and PostgreSQL: every malformed
// request is rejected with its exact status and an ErrorResponse naming the field, and none
// of them changes anything stored.
import { expect, it } from 'vitest';
import {
  type Answer,
  agentBody,
  dependency,
  errorBody,
  type RegistrationBody,
  tool,
  unique,
  waitFor,
} from '../support/registry-client.js';
import { describeEachBackend, useRegistry } from '../support/registry-fixture.js';

const bodyLimit = 2_048;

interface BadRequest {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  /** A JSON value to send; or `raw` text with `contentType`. */
  readonly json?: unknown;
  readonly raw?: string;
  readonly contentType?: string;
  readonly status: 400 | 404 | 409 | 413;
  readonly error: string;
  /** The `field` the answer must name; undefined when there is none to name. */
  readonly field?: string;
  /** Something the message must mention. */
  readonly mentions?: string;
}

const existingId = 'malformed-existing-agent';
const valid = (extra: Partial<RegistrationBody> = {}): RegistrationBody =>
  agentBody('malformed-new-agent', [tool('t', 'malformed-cap')], extra);
const withTool = (toolBody: Record<string, unknown>): RegistrationBody =>
  valid({ tools: [toolBody as never] });
const withDependency = (dependencyBody: Record<string, unknown>): RegistrationBody =>
  withTool({ function_name: 't', capability: 'c', dependencies: [dependencyBody] });

const cases: BadRequest[] = [
  {
    name: 'missing agent_id',
    json: { tools: [] },
    status: 400,
    error: 'bad_request',
    field: '/agent_id',
  },
  {
    name: 'empty agent_id',
    json: valid({ agent_id: '' }),
    status: 400,
    error: 'bad_request',
    field: '/agent_id',
  },
  {
    name: 'agent_id with a space and leading dash',
    json: valid({ agent_id: '-bad id' }),
    status: 400,
    error: 'bad_request',
    field: '/agent_id',
  },
  {
    name: 'agent_id longer than 256',
    json: valid({ agent_id: 'a'.repeat(257) }),
    status: 400,
    error: 'bad_request',
    field: '/agent_id',
  },
  {
    name: 'http_port as a string',
    json: valid({ http_port: '8080' as never }),
    status: 400,
    error: 'bad_request',
    field: '/http_port',
  },
  {
    name: 'http_port 70000',
    json: valid({ http_port: 70_000 }),
    status: 400,
    error: 'bad_request',
    field: '/http_port',
  },
  {
    name: 'http_port -1',
    json: valid({ http_port: -1 }),
    status: 400,
    error: 'bad_request',
    field: '/http_port',
  },
  {
    name: 'unknown runtime',
    json: valid({ runtime: 'cobol' }),
    status: 400,
    error: 'bad_request',
    field: '/runtime',
  },
  {
    name: 'unknown agent_type',
    json: valid({ agent_type: 'robot' }),
    status: 400,
    error: 'bad_request',
    field: '/agent_type',
  },
  {
    name: 'tools not an array',
    json: valid({ tools: {} as never }),
    status: 400,
    error: 'bad_request',
    field: '/tools',
  },
  {
    name: 'tool without capability',
    json: withTool({ function_name: 't' }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/capability',
  },
  {
    name: 'tool without function_name',
    json: withTool({ capability: 'c' }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/function_name',
  },
  {
    name: 'duplicate function_name',
    json: valid({ tools: [tool('same', 'c1'), tool('same', 'c2')] }),
    status: 400,
    error: 'bad_request',
    field: '/tools/1/function_name',
    mentions: 'same',
  },
  {
    name: 'tags not an array',
    json: withTool({ function_name: 't', capability: 'c', tags: 'fast' }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/tags',
  },
  {
    name: 'tag longer than 128',
    json: withTool({ function_name: 't', capability: 'c', tags: ['x'.repeat(129)] }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/tags/0',
  },
  {
    name: 'dependency without capability',
    json: withDependency({ version: '>=1' }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0/capability',
  },
  {
    name: 'dependency required not a boolean',
    json: withDependency({ capability: 'd', required: 'yes' }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0/required',
  },
  {
    name: 'dependency tag alternatives empty',
    json: withDependency({ capability: 'd', tags: [[]] }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0/tags/0',
  },
  {
    name: 'dependency alternatives empty',
    json: withTool({ function_name: 't', capability: 'c', dependencies: [[]] }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0',
  },
  {
    name: 'dependency alternative without capability',
    json: withTool({
      function_name: 't',
      capability: 'c',
      dependencies: [[{ capability: 'd' }, { version: '>=1' }]],
    }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0/1/capability',
  },
  {
    name: 'dependency alternatives nested in alternatives',
    json: withTool({
      function_name: 't',
      capability: 'c',
      dependencies: [[{ capability: 'd' }, [{ capability: 'e' }]]],
    }),
    status: 400,
    error: 'bad_request',
    field: '/tools/0/dependencies/0/1',
  },
  {
    name: 'required cycle within one registration',
    json: valid({
      tools: [
        tool('ping', 'malformed-ping', {
          dependencies: [dependency('malformed-pong', { required: true })],
        }),
        tool('pong', 'malformed-pong', {
          dependencies: [dependency('malformed-ping', { required: true })],
        }),
      ],
    }),
    status: 409,
    error: 'conflict',
    mentions: 'cycle',
  },
  { name: 'a JSON array as the body', json: [], status: 400, error: 'bad_request', field: '/' },
  {
    name: 'JSON null as the body',
    raw: 'null',
    contentType: 'application/json',
    status: 400,
    error: 'bad_request',
  },
  {
    name: 'invalid JSON text',
    raw: '{"agent_id": "x", ',
    contentType: 'application/json',
    status: 400,
    error: 'bad_request',
  },
  {
    name: 'empty JSON body',
    raw: '',
    contentType: 'application/json',
    status: 400,
    error: 'bad_request',
  },
  {
    name: 'wrong content-type (XML)',
    raw: '<agent id="x"/>',
    contentType: 'application/xml',
    status: 400,
    error: 'bad_request',
  },
  {
    name: 'wrong content-type (text/plain)',
    raw: JSON.stringify({ agent_id: 'x' }),
    contentType: 'text/plain',
    status: 400,
    error: 'bad_request',
  },
  {
    name: 'body over the limit',
    json: valid({ description: 'x'.repeat(bodyLimit + 100) }),
    status: 413,
    error: 'payload_too_large',
    mentions: String(bodyLimit),
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/no/such/route',
    status: 404,
    error: 'not_found',
    mentions: '/no/such/route',
  },
  {
    name: 'POST to a GET-only route',
    method: 'POST',
    path: '/agents',
    json: {},
    status: 404,
    error: 'not_found',
  },
  {
    name: 'events limit=0',
    method: 'GET',
    path: '/events?limit=0',
    status: 400,
    error: 'bad_request',
    field: 'limit',
  },
  {
    name: 'events limit=abc',
    method: 'GET',
    path: '/events?limit=abc',
    status: 400,
    error: 'bad_request',
    field: 'limit',
  },
  {
    name: 'events limit=1001',
    method: 'GET',
    path: '/events?limit=1001',
    status: 400,
    error: 'bad_request',
    field: 'limit',
  },
  {
    name: 'events type=bogus',
    method: 'GET',
    path: '/events?type=bogus',
    status: 400,
    error: 'bad_request',
    field: 'type',
  },
  {
    name: 'agents status=bogus',
    method: 'GET',
    path: '/agents?status=bogus',
    status: 400,
    error: 'bad_request',
    field: 'status',
  },
  {
    name: 'watch revision=-1',
    method: 'GET',
    path: '/watch?revision=-1',
    status: 400,
    error: 'bad_request',
    field: 'revision',
  },
  {
    name: 'watch revision=abc',
    method: 'GET',
    path: '/watch?revision=abc',
    status: 400,
    error: 'bad_request',
    field: 'revision',
  },
  {
    name: 'proxy to an unknown agent',
    method: 'POST',
    path: '/proxy/nobody-here/mcp',
    json: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    status: 404,
    error: 'not_found',
    mentions: 'nobody-here',
  },
];

describeEachBackend('malformed requests', (backend) => {
  const fixture = useRegistry(backend, { MCP_MESH_REGISTRY_BODY_LIMIT: String(bodyLimit) });

  /** What a bad request must not change: the agents (as listed) and the number of events. */
  const snapshot = async () => {
    const agents = (await fixture.client.agents()).map(({ last_seen: _, ...agent }) => agent);
    const events = await fixture.client.events({ limit: 1000 });
    return { agents, events: events.length };
  };
  let before: Awaited<ReturnType<typeof snapshot>>;

  it('starts from a database with agents and events in it', async () => {
    const { client } = fixture;
    const capability = unique('stored');
    await client.register(agentBody(existingId, [tool('kept', 'malformed-kept')]));
    await client.register(agentBody(unique('other'), [tool('o', capability)]));
    await client.register(
      agentBody(unique('user'), [
        tool('u', unique('u'), { dependencies: [dependency(capability)] }),
      ]),
    );
    before = await waitFor('the registration events to be stored', async () => {
      const taken = await snapshot();
      return taken.agents.length === 3 && taken.events >= 4 && taken;
    });
    expect(before.agents.map((agent) => agent.id)).toContain(existingId);
  });

  it.each(cases)('rejects $name with $status', async (bad) => {
    const method = bad.method ?? 'POST';
    const path = bad.path ?? '/heartbeat';
    let answer: Answer;
    if (bad.raw !== undefined) {
      answer = await fixture.client.call(method, path, {
        body: bad.raw,
        headers: { 'content-type': bad.contentType ?? 'application/json' },
      });
    } else if (bad.json !== undefined) {
      answer = await fixture.client.call(method, path, { json: bad.json });
    } else {
      answer = await fixture.client.call(method, path);
    }
    expect(answer.status, answer.text).toBe(bad.status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const body = errorBody(answer);
    expect(
      Object.keys(body).every((key) =>
        ['error', 'message', 'field', 'details', 'timestamp'].includes(key),
      ),
    ).toBe(true);
    expect(body.error).toBe(bad.error);
    expect(body.message).toEqual(expect.any(String));
    expect(body.message.length).toBeGreaterThan(10);
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
    if (bad.field !== undefined) expect(body.field).toBe(bad.field);
    if (bad.mentions !== undefined) expect(body.message).toContain(bad.mentions);
    if (bad.status === 413) expect(body.details).toEqual({ limit_bytes: bodyLimit });
    if (bad.status === 409) expect(body.details?.cycle).toEqual(expect.any(Array));
  });

  it('leaves the database unchanged after all of them', async () => {
    // Give a wrongly recorded event the time to land before comparing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await snapshot();
    expect(after).toEqual(before);
    const existing = after.agents.find((agent) => agent.id === existingId);
    expect(existing?.capabilities).toEqual([
      expect.objectContaining({ function_name: 'kept', version: '1.0.0' }),
    ]);
    expect(await fixture.client.head('malformed-new-agent')).toBe(410);
  });
});
