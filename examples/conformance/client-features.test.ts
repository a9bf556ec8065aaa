// The MCP features of issue #4 end to end: the conformance agent as its own process, and real
// clients of both SDK lines (v1; v2 on either protocol era) asking for completions, answering
// sampling, elicitation and roots, reading prompts with image and resource content, and going
// through multi-round input, including a forged requestState and an undeclared capability.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, MeshProcesses, until } from '../support/local-mesh.js';

const handlers = 'examples/conformance/handlers/conformance.ts';
const features = { sampling: {}, elicitation: {}, roots: {} };
const llmAnswer = 'Paris';
const person = {
  name: 'Ada',
  username: 'ada',
  email: 'ada@example.com',
  color: 'green',
  context: 'tests',
};
const roots = [{ uri: 'file:///work/project', name: 'project' }];

const mesh = new MeshProcesses();
let url = '';
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const port = await freePort();
  mesh.startAgent(handlers, { MCP_MESH_REGISTRY_URL: 'off', MCP_MESH_HTTP_PORT: String(port) });
  url = `http://127.0.0.1:${port}`;
  await until('the conformance agent', async () =>
    (await fetch(`${url}/ready`)).ok ? true : undefined,
  );
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close().catch(() => {})));
});

afterAll(async () => {
  await mesh.stopAll();
});

type Era = 'legacy' | 'auto';

/** A v2 client; with `answers`, it declares sampling, elicitation and roots and answers them. */
async function v2Client(era: Era, answers: boolean): Promise<Client> {
  const client = new Client(
    { name: 'client-features', version: '1.0.0' },
    { versionNegotiation: { mode: era }, capabilities: answers ? features : {} },
  );
  if (answers) {
    client.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: llmAnswer },
      model: 'test-model',
    }));
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: person,
    }));
    client.setRequestHandler('roots/list', async () => ({ roots }));
  }
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`));
  await client.connect(transport);
  closers.push(async () => {
    await transport.terminateSession().catch(() => {});
    await client.close();
  });
  return client;
}

/** A v1 client (protocol 2025-11-25 only), answering like {@link v2Client}. */
async function v1Client(answers: boolean): Promise<V1Client> {
  const client = new V1Client(
    { name: 'client-features-v1', version: '1.0.0' },
    { capabilities: answers ? features : {} },
  );
  if (answers) {
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      content: { type: 'text', text: llmAnswer },
      model: 'test-model',
    }));
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: person,
    }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots }));
  }
  const transport = new V1Transport(new URL(`${url}/mcp`));
  await client.connect(transport);
  closers.push(async () => {
    await transport.terminateSession().catch(() => {});
    await client.close();
  });
  return client;
}

interface ToolAnswer {
  readonly content?: unknown;
  readonly isError?: boolean;
}

function textOf(result: ToolAnswer): string {
  const blocks = (result.content ?? []) as { type: string; text?: string }[];
  return blocks.map((block) => block.text ?? '').join('');
}

/** A raw 2026-07-28 request: what a client sends, without an SDK deciding anything for us. */
async function modernRequest(
  method: string,
  params: Record<string, unknown>,
  capabilities: Record<string, unknown> = {},
  agent = url,
): Promise<{ status: number; body: { result?: Record<string, unknown>; error?: JsonRpcError } }> {
  const response = await fetch(`${agent}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': capabilities,
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
        },
      },
    }),
  });
  const text = await response.text();
  const json = text.startsWith('{') ? text : /^data: (.+)$/m.exec(text)?.[1];
  return { status: response.status, body: JSON.parse(json ?? '{}') };
}

interface JsonRpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

describe('completion/complete', () => {
  it.each(['legacy', 'auto'] as const)(
    'completes prompt arguments and template variables (v2, %s)',
    async (era) => {
      const client = await v2Client(era, false);
      expect(client.getServerCapabilities()?.completions).toEqual({});
      const argument = await client.complete({
        ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
        argument: { name: 'arg1', value: 'test' },
      });
      expect(argument.completion).toEqual({
        values: ['test', 'testing', 'tested'],
        total: 3,
        hasMore: false,
      });
      const variable = await client.complete({
        ref: { type: 'ref/resource', uri: 'test://template/{id}/data' },
        argument: { name: 'id', value: '4' },
      });
      expect(variable.completion.values).toEqual(['42']);
      // An argument without a handler completes to nothing; an unknown prompt is an error.
      const none = await client.complete({
        ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
        argument: { name: 'arg2', value: 'x' },
      });
      expect(none.completion.values).toEqual([]);
      await expect(
        client.complete({
          ref: { type: 'ref/prompt', name: 'no_such_prompt' },
          argument: { name: 'arg1', value: '' },
        }),
      ).rejects.toThrow(/no_such_prompt not found/);
    },
  );

  it('completes for a v1 client', async () => {
    const client = await v1Client(false);
    const answer = await client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
      argument: { name: 'arg1', value: 'o' },
    });
    expect(answer.completion.values).toEqual(['other']);
  });
});

describe('prompts with image and embedded-resource content', () => {
  it.each(['legacy', 'auto'] as const)('answers content blocks (v2, %s)', async (era) => {
    const client = await v2Client(era, false);
    const image = await client.getPrompt({ name: 'test_prompt_with_image' });
    expect(image.messages[0]?.content).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(image.messages[1]?.content).toMatchObject({ type: 'text' });
    const embedded = await client.getPrompt({
      name: 'test_prompt_with_embedded_resource',
      arguments: { resourceUri: 'test://example-resource' },
    });
    expect(embedded.messages[0]?.content).toEqual({
      type: 'resource',
      resource: {
        uri: 'test://example-resource',
        mimeType: 'text/plain',
        text: 'Embedded resource content for testing.',
      },
    });
  });

  it('answers content blocks to a v1 client', async () => {
    const client = await v1Client(false);
    const image = await client.getPrompt({ name: 'test_prompt_with_image' });
    expect(image.messages[0]?.content).toMatchObject({ type: 'image', mimeType: 'image/png' });
  });
});

describe('requests to the client during a call (2025-11-25 sessions)', () => {
  it('sends sampling and elicitation to a v2 client that declared them', async () => {
    const client = await v2Client('legacy', true);
    const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Hi' } });
    expect(textOf(sampled)).toBe(`LLM response: ${llmAnswer}`);
    const elicited = await client.callTool({
      name: 'test_elicitation',
      arguments: { message: 'Who are you?' },
    });
    expect(textOf(elicited)).toContain('action=accept');
    expect(textOf(elicited)).toContain('"username":"ada"');
  });

  it('sends sampling and elicitation to a v1 client that declared them', async () => {
    const client = await v1Client(true);
    const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Hi' } });
    expect(textOf(sampled as ToolAnswer)).toBe(`LLM response: ${llmAnswer}`);
    const elicited = await client.callTool({ name: 'test_elicitation_sep1034_defaults' });
    expect(textOf(elicited as ToolAnswer)).toMatch(/^Elicitation completed: action=accept/);
  });

  it('fails the tool with a message naming the capability the client did not declare', async () => {
    const client = await v2Client('legacy', false);
    const result = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Hi' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/did not declare the "sampling" capability/);
  });

  it('tells a 2026-07-28 caller to use multi-round input instead', async () => {
    const client = await v2Client('auto', true);
    const result = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Hi' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/protocol 2026-07-28.*context\.input\.require/);
  });
});

describe('multi-round input (SEP-2322)', () => {
  it('lets a 2026-07-28 v2 client fulfil the rounds, state included', async () => {
    const client = await v2Client('auto', true);
    const greeting = await client.callTool({ name: 'test_input_required_result_elicitation' });
    expect(textOf(greeting)).toBe('Hello, Ada!');
    const threeRounds = await client.callTool({ name: 'test_input_required_result_multi_round' });
    expect(textOf(threeRounds)).toBe('Ada likes green');
    const everything = await client.callTool({
      name: 'test_input_required_result_multiple_inputs',
    });
    expect(textOf(everything)).toBe(`${llmAnswer} Ada (roots: file:///work/project)`);
    const prompt = await client.getPrompt({ name: 'test_input_required_result_prompt' });
    expect(prompt.messages[0]?.content).toEqual({
      type: 'text',
      text: 'Answer with this context in mind: tests',
    });
  });

  it.each(['v1', 'v2'] as const)(
    'serves the same handlers to a 2025-11-25 %s session (the SDK sends the requests)',
    async (line) => {
      const client = line === 'v1' ? await v1Client(true) : await v2Client('legacy', true);
      const threeRounds = (await client.callTool({
        name: 'test_input_required_result_multi_round',
        arguments: {},
      })) as ToolAnswer;
      expect(textOf(threeRounds)).toBe('Ada likes green');
      const stateful = (await client.callTool({
        name: 'test_input_required_result_request_state',
        arguments: {},
      })) as ToolAnswer;
      expect(textOf(stateful)).toMatch(/^state-ok/);
    },
  );

  it('signs requestState: a changed state is refused with -32602, the original is accepted', async () => {
    const first = await modernRequest(
      'tools/call',
      { name: 'test_input_required_result_tampered_state', arguments: {} },
      { elicitation: {} },
    );
    expect(first.body.result?.resultType).toBe('input_required');
    const state = first.body.result?.requestState as string;
    const retry = (requestState: string) =>
      modernRequest(
        'tools/call',
        {
          name: 'test_input_required_result_tampered_state',
          arguments: {},
          inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
          requestState,
        },
        { elicitation: {} },
      );
    const forged = await retry(`${state.slice(0, -2)}xx`);
    expect(forged.body.error?.code).toBe(-32602);
    const genuine = await retry(state);
    expect(textOf(genuine.body.result as ToolAnswer)).toMatch(/^state-ok/);
  });

  it('refuses state minted for another tool', async () => {
    const first = await modernRequest(
      'tools/call',
      { name: 'test_input_required_result_multi_round', arguments: {} },
      { elicitation: {} },
    );
    const replayed = await modernRequest(
      'tools/call',
      {
        name: 'test_input_required_result_request_state',
        arguments: {},
        inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
        requestState: first.body.result?.requestState,
      },
      { elicitation: {} },
    );
    expect(replayed.body.result?.isError).toBe(true);
    expect(textOf(replayed.body.result as ToolAnswer)).toMatch(/issued for another handler/);
  });

  it('answers -32021 (HTTP 400) naming the capability a 2026-07-28 client did not declare', async () => {
    const { status, body } = await modernRequest('tools/call', {
      name: 'test_missing_capability',
      arguments: {},
    });
    expect(status).toBe(400);
    expect(body.error?.code).toBe(-32021);
    expect(body.error?.data?.requiredCapabilities).toEqual({ sampling: {} });
  });

  it('fails the tool on a 2025-11-25 session whose client did not declare the capability', async () => {
    const client = await v2Client('legacy', false);
    const result = await client.callTool({ name: 'test_missing_capability' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/did not declare the required capability/);
  });
});

describe('requestState across replicas', () => {
  const replicas = new MeshProcesses();
  afterAll(() => replicas.stopAll());

  async function replica(key: string): Promise<string> {
    const port = await freePort();
    replicas.startAgent(handlers, {
      MCP_MESH_REGISTRY_URL: 'off',
      MCP_MESH_HTTP_PORT: String(port),
      MCP_MESH_REQUEST_STATE_KEY: key,
    });
    const agent = `http://127.0.0.1:${port}`;
    await until('a replica', async () => ((await fetch(`${agent}/ready`)).ok ? true : undefined));
    return agent;
  }

  it('accepts a round signed by another replica with the same MCP_MESH_REQUEST_STATE_KEY only', async () => {
    const shared = 'k'.repeat(32);
    const [first, twin, stranger] = await Promise.all([
      replica(shared),
      replica(shared),
      replica('s'.repeat(40)),
    ]);
    const call = { name: 'test_input_required_result_request_state', arguments: {} };
    const round1 = await modernRequest('tools/call', call, { elicitation: {} }, first);
    const round2 = {
      ...call,
      inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
      requestState: round1.body.result?.requestState,
    };
    const onTwin = await modernRequest('tools/call', round2, { elicitation: {} }, twin);
    expect(textOf(onTwin.body.result as ToolAnswer)).toMatch(/^state-ok/);
    const onStranger = await modernRequest('tools/call', round2, { elicitation: {} }, stranger);
    expect(onStranger.body.error?.code).toBe(-32602);
  });
});
