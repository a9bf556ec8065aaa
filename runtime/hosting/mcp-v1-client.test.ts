// The agent server through the v1 SDK client (`@modelcontextprotocol/sdk`, protocol 2025-11-25).
import {
  CallToolResultSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import clock from '../../examples/greeting/handlers/clock.js';
import { createObserved, createTestAgent, pixelPng, serverPool } from './test-agent.fixture.js';
import { clientPool } from './test-clients.fixture.js';

const servers = serverPool();
const clients = clientPool();

afterEach(async () => {
  await clients.closeAll();
  await servers.closeAll();
});

describe('v1 client', () => {
  it('calls the greeting clock agent', async () => {
    const server = await servers.start(clock);
    const { client, transport } = await clients.v1(server.url);
    expect(transport.sessionId).toEqual(expect.any(String));
    expect(client.getServerVersion()).toMatchObject({ name: 'clock', version: '1.0.0' });

    const { tools } = await client.listTools();
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: 'get_current_date',
      annotations: { readOnlyHint: true, idempotentHint: true },
    });
    const result = await client.callTool({ name: 'get_current_date', arguments: {} });
    expect(result.structuredContent).toEqual({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('maps results and reports invalid input as a tool error', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v1(server.url);

    expect(
      (await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).structuredContent,
    ).toEqual({
      sum: 3,
    });
    expect((await client.callTool({ name: 'pixel', arguments: {} })).content).toContainEqual({
      type: 'image',
      data: pixelPng,
      mimeType: 'image/png',
    });
    const exploded = await client.callTool({ name: 'explode', arguments: {} });
    expect(exploded).toMatchObject({
      isError: true,
      content: [{ text: 'kaboom: the tool failed on purpose' }],
    });
    const invalid = await client.callTool({ name: 'add', arguments: { a: 1, b: 'x' } });
    expect(invalid).toMatchObject({
      isError: true,
      content: [{ text: 'Invalid input for tool "add": input/b must be number' }],
    });
  });

  it('receives progress and cancels', async () => {
    const observed = createObserved();
    const server = await servers.start(createTestAgent(observed));
    const { client } = await clients.v1(server.url);

    const progress: number[] = [];
    const done = await client.callTool(
      { name: 'slow_count', arguments: { to: 2, delayMs: 5 } },
      CallToolResultSchema,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(done.structuredContent).toEqual({ counted: 2 });
    expect(progress).toEqual([1, 2]);

    const controller = new AbortController();
    const call = client.callTool(
      { name: 'slow_count', arguments: { to: 1000, delayMs: 20 } },
      CallToolResultSchema,
      { signal: controller.signal },
    );
    await observed.slowStarted;
    controller.abort();
    await expect(call).rejects.toThrow();
    await vi.waitFor(() => expect(observed.slowSignalAborted).toBe(true));
    // The session keeps working after a cancelled call.
    expect((await client.callTool({ name: 'shout', arguments: { text: 'ok' } })).content).toEqual([
      { type: 'text', text: 'OK!' },
    ]);
  });

  it('reads resources, gets prompts and follows a subscription', async () => {
    const server = await servers.start(createTestAgent());
    const { client } = await clients.v1(server.url);

    expect((await client.listResourceTemplates()).resourceTemplates[0]!.uriTemplate).toBe(
      'users://{id}/profile',
    );
    expect((await client.readResource({ uri: 'users://ada/profile' })).contents[0]).toMatchObject({
      text: '{"id":"ada","name":"User ada"}',
    });
    const prompt = await client.getPrompt({ name: 'greeting', arguments: { name: 'Lin' } });
    expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Say hi to Lin.' });

    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    await client.subscribeResource({ uri: 'docs://readme' });
    await expect(client.subscribeResource({ uri: 'images://logo' })).rejects.toThrow(
      /does not support subscriptions/,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.notifyResourceUpdated('docs://readme');
    await vi.waitFor(() => expect(updates).toEqual(['docs://readme']));
  });

  it('ends the session on DELETE: the session id is then unknown', async () => {
    const server = await servers.start(createTestAgent());
    const { transport } = await clients.v1(server.url);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();

    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { code: -32001, message: 'Session not found' },
    });
  });
});
