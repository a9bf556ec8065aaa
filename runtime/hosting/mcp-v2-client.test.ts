// The agent server through the official SDK v2 client, in both protocol eras.
import { LOG_LEVEL_META_KEY } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import clock from '../../examples/greeting/handlers/clock.js';
import greeter from '../../examples/greeting/handlers/greeter.js';
import { createObserved, createTestAgent, pixelPng, serverPool } from './test-agent.fixture.js';
import { clientPool } from './test-clients.fixture.js';

const servers = serverPool();
const clients = clientPool();

afterEach(async () => {
  await clients.closeAll();
  await servers.closeAll();
});

describe.each([
  { era: '2025-11-25', mode: 'legacy' as const },
  { era: '2026-07-28', mode: 'auto' as const },
])('v2 client, protocol $era', ({ era, mode }) => {
  it('negotiates the era and serves the greeting clock agent', async () => {
    const server = await servers.start(clock);
    const { client, transport } = await clients.v2(server.url, mode);
    expect(client.getNegotiatedProtocolVersion()).toBe(era);
    expect(transport.sessionId !== undefined).toBe(mode === 'legacy');

    const result = await client.callTool({ name: 'get_current_date', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(result.content).toEqual([
      { type: 'text', text: JSON.stringify(result.structuredContent) },
    ]);
  });

  it('injects the dependencies of each call into the greeting greeter agent', async () => {
    let resolved = false;
    const server = await servers.start(greeter, {
      dependencies: async (tool) => {
        expect(tool).toBe('greet');
        return resolved
          ? {
              dateService: {
                capability: 'date_service',
                call: async () => ({ date: '2030-01-02' }),
              },
            }
          : {};
      },
    });
    const { client } = await clients.v2(server.url, mode);

    const alone = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(alone.structuredContent).toEqual({ message: 'Hello, Ada!' });
    resolved = true;
    const dated = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(dated.structuredContent).toEqual({
      message: 'Hello, Ada! Today is 2030-01-02.',
      date: '2030-01-02',
    });
  });

  it('lists tools with their JSON Schemas, titles and annotations as declared', async () => {
    const definition = createTestAgent();
    const server = await servers.start(definition);
    const { client } = await clients.v2(server.url, mode);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      definition.metadata.tools.map((tool) => tool.name),
    );
    const add = tools.find((tool) => tool.name === 'add')!;
    const declared = definition.metadata.tools[0]!;
    expect(add.title).toBe('Add two numbers');
    expect(add.description).toBe('Adds a and b.');
    expect(add.inputSchema).toEqual(declared.inputSchema);
    expect(add.outputSchema).toEqual(declared.outputSchema);
    expect(add.annotations).toEqual({
      readOnlyHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tools.find((tool) => tool.name === 'shout')!.outputSchema).toBeUndefined();
  });

  it('maps results: structured output, text, image content, thrown errors, invalid input', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);

    const added = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(added.structuredContent).toEqual({ sum: 5 });
    expect(added.content).toEqual([{ type: 'text', text: '{"sum":5}' }]);

    const shouted = await client.callTool({ name: 'shout', arguments: { text: 'hey' } });
    expect(shouted).toMatchObject({ content: [{ type: 'text', text: 'HEY!' }] });
    expect(shouted.isError).toBeFalsy();

    const pixel = await client.callTool({ name: 'pixel', arguments: {} });
    expect(pixel.content).toEqual([
      { type: 'image', data: pixelPng, mimeType: 'image/png' },
      { type: 'text', text: 'a pixel' },
    ]);

    const exploded = await client.callTool({ name: 'explode', arguments: {} });
    expect(exploded.isError).toBe(true);
    expect(exploded.content).toEqual([
      { type: 'text', text: 'kaboom: the tool failed on purpose' },
    ]);

    const invalid = await client.callTool({ name: 'add', arguments: { a: 'two', b: 3 } });
    expect(invalid.isError).toBe(true);
    expect(invalid.content).toEqual([
      { type: 'text', text: 'Invalid input for tool "add": input/a must be number' },
    ]);
    const missing = await client.callTool({ name: 'add', arguments: { a: 1 } });
    expect(missing.isError).toBe(true);
    expect((missing.content as { text: string }[])[0]!.text).toContain(
      "must have required property 'b'",
    );
  });

  it('delivers progress notifications to onprogress', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);
    const progress: unknown[] = [];

    const result = await client.callTool(
      { name: 'slow_count', arguments: { to: 3, delayMs: 5 } },
      { onprogress: (update) => progress.push(update) },
    );
    expect(result.structuredContent).toEqual({ counted: 3 });
    expect(progress).toEqual([
      { progress: 1, total: 3, message: 'counted 1' },
      { progress: 2, total: 3, message: 'counted 2' },
      { progress: 3, total: 3, message: 'counted 3' },
    ]);
  });

  it("aborts the handler's signal when the client cancels", async () => {
    const observed = createObserved();
    const server = await servers.start(createTestAgent(observed));
    const { client } = await clients.v2(server.url, mode);
    const controller = new AbortController();

    const call = client.callTool(
      { name: 'slow_count', arguments: { to: 1000, delayMs: 20 } },
      { signal: controller.signal },
    );
    await observed.slowStarted;
    controller.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow();
    await vi.waitFor(() => expect(observed.slowSignalAborted).toBe(true));
  });

  it('aborts a slow handler when the x-mesh-timeout-ms deadline passes', async () => {
    const observed = createObserved();
    const server = await servers.start(createTestAgent(observed));
    const { client } = await clients.v2(server.url, mode, { 'x-mesh-timeout-ms': '150' });

    const started = Date.now();
    const result = await client.callTool({
      name: 'slow_count',
      arguments: { to: 1000, delayMs: 20 },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      `Tool "slow_count" did not finish within the caller's deadline of 150 ms`,
    );
    expect(observed.slowSignalAborted).toBe(true);
    expect((observed.slowAbortReason as Error).name).toBe('TimeoutError');
  });

  it('serves resources: fixed, template and binary', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);

    const { resources } = await client.listResources();
    expect(resources).toEqual([
      {
        uri: 'docs://readme',
        name: 'readme',
        title: 'Read me',
        description: 'What this agent is.',
        mimeType: 'text/markdown',
      },
      { uri: 'images://logo', name: 'logo', mimeType: 'image/png' },
    ]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      {
        name: 'profile',
        uriTemplate: 'users://{id}/profile',
        description: 'A user profile.',
        mimeType: 'application/json',
      },
    ]);

    const readme = await client.readResource({ uri: 'docs://readme' });
    expect(readme.contents).toEqual([
      { uri: 'docs://readme', mimeType: 'text/markdown', text: '# Workbench\nOne of everything.' },
    ]);
    const profile = await client.readResource({ uri: 'users://7/profile' });
    expect(profile.contents).toEqual([
      {
        uri: 'users://7/profile',
        mimeType: 'application/json',
        text: '{"id":"7","name":"User 7"}',
      },
    ]);
    const logo = await client.readResource({ uri: 'images://logo' });
    expect(logo.contents).toEqual([
      { uri: 'images://logo', mimeType: 'image/png', blob: pixelPng },
    ]);
    await expect(client.readResource({ uri: 'docs://missing' })).rejects.toThrow();
  });

  it('serves prompts with arguments', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);

    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([
      {
        name: 'greeting',
        title: 'Greeting',
        description: 'Greets someone.',
        arguments: [
          { name: 'name', description: 'Who to greet', required: true },
          { name: 'style', description: 'formal or casual', required: false },
        ],
      },
    ]);
    const casual = await client.getPrompt({ name: 'greeting', arguments: { name: 'Ada' } });
    expect(casual.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Say hi to Ada.' } },
    ]);
    const formal = await client.getPrompt({
      name: 'greeting',
      arguments: { name: 'Ada', style: 'formal' },
    });
    expect(formal.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    await expect(client.getPrompt({ name: 'greeting', arguments: {} })).rejects.toThrow(
      /must have required property 'name'/,
    );
  });

  it('sends context.log to the client once it asked for a log level', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);
    const messages: unknown[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      messages.push(notification.params);
    });

    await client.callTool({ name: 'whoami', arguments: {} });
    expect(messages).toEqual([]);

    if (mode === 'legacy') {
      await client.setLoggingLevel('info');
      await client.callTool({ name: 'whoami', arguments: {} });
    } else {
      await client.callTool({
        name: 'whoami',
        arguments: {},
        _meta: { [LOG_LEVEL_META_KEY]: 'info' },
      });
    }
    await vi.waitFor(() =>
      expect(messages).toEqual([
        { level: 'info', logger: 'workbench', data: { message: 'whoami called', marker: 42 } },
      ]),
    );
  });

  it('notifies resource subscribers through notifyResourceUpdated', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode);
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      updates.push(notification.params.uri);
    });

    if (mode === 'legacy') {
      await client.subscribeResource({ uri: 'docs://readme' });
      // The session's standalone GET stream carries server-initiated notifications.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } else {
      await client.listen({ resourceSubscriptions: ['docs://readme'] });
    }
    server.notifyResourceUpdated('images://logo');
    server.notifyResourceUpdated('docs://readme');
    await vi.waitFor(() => expect(updates).toEqual(['docs://readme']));
  });

  it('runs handlers in a call scope: propagated headers, a fresh span of the trace, the deadline', async () => {
    const dependencies = vi.fn(async () => ({ dateService: { capability: 'date_service' } }));
    const server = await servers.start(createTestAgent(), {
      propagateHeaders: ['x-tenant'],
      dependencies,
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { client, transport } = await clients.v2(server.url, mode, {
      'x-tenant': 'acme',
      'x-other': 'not propagated',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'x-mesh-timeout-ms': '30000',
    });

    const before = Date.now();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    const seen = JSON.parse((result.content as { text: string }[])[0]!.text);
    expect(seen.headers).toEqual({
      'x-tenant': 'acme',
      traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)),
    });
    expect(seen.headers.traceparent).not.toContain('00f067aa0ba902b7');
    expect(seen.scopeHeaders).toEqual(seen.headers);
    expect(seen.scopeDeadline).toBeGreaterThanOrEqual(before + 30_000);
    expect(seen.scopeDeadline).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(seen.dependencies).toEqual(['dateService']);
    expect(dependencies).toHaveBeenCalledWith('whoami', expect.any(AbortSignal));
    expect(seen.sessionId).toBe(mode === 'legacy' ? transport.sessionId : null);
  });

  it('gives handlers the session the caller names (X-Session-ID) over its MCP session', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v2(server.url, mode, { 'x-session-id': 'named-by-caller' });
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    const seen = JSON.parse((result.content as { text: string }[])[0]!.text);
    expect(seen.sessionId).toBe('named-by-caller');
  });
});
