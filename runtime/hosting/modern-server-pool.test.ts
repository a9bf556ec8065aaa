import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  McpServer,
  PROTOCOL_VERSION_META_KEY,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { boundToExchange } from './exchange-bound-context.js';
import { ModernServerPool } from './modern-server-pool.js';

const version = '2026-07-28';

/** A 2026-07-28 `tools/call`, as a negotiating client sends it. */
function callTool(id: number, name: string, progressToken?: number): Request {
  const body = {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name,
      arguments: {},
      _meta: {
        [PROTOCOL_VERSION_META_KEY]: version,
        [CLIENT_INFO_META_KEY]: { name: 'test', version: '1' },
        [CLIENT_CAPABILITIES_META_KEY]: {},
        ...(progressToken === undefined ? {} : { progressToken }),
      },
    },
  };
  return new Request('http://localhost/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': version,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: JSON.stringify(body),
  });
}

describe('ModernServerPool', () => {
  it('serves requests one after another with one server, and concurrent ones with several', async () => {
    let built = 0;
    let running = 0;
    let bothRunning!: () => void;
    const bothStarted = new Promise<void>((resolve) => {
      bothRunning = resolve;
    });
    let release!: () => void;
    let gate = Promise.resolve();
    const pool = new ModernServerPool(() => {
      built += 1;
      const server = new McpServer({ name: 't', version: '1' });
      server.registerTool('slow', { description: 'waits for the gate' }, async () => {
        running += 1;
        if (running === 2) bothRunning();
        await gate;
        running -= 1;
        return { content: [{ type: 'text', text: 'done' }] };
      });
      return server;
    });
    const handler = createMcpHandler(() => pool.acquire(), { legacy: 'reject' });

    for (let id = 1; id <= 3; id++) {
      const response = await handler.fetch(callTool(id, 'slow'));
      expect(await response.json()).toMatchObject({ id, result: { content: [{ text: 'done' }] } });
    }
    expect(built).toBe(1);

    gate = new Promise((resolve) => {
      release = resolve;
    });
    const both = Promise.all([
      handler.fetch(callTool(4, 'slow')),
      handler.fetch(callTool(5, 'slow')),
    ]);
    await bothStarted;
    release();
    const answers = await Promise.all((await both).map((response) => response.json()));
    expect(answers.map((answer) => (answer as { id: number }).id)).toEqual([4, 5]);
    expect(built).toBe(2);
    await handler.close();
  });

  it("keeps an ended call's late notifications off the next request served by the same server", async () => {
    let stale: ServerContext | undefined;
    let finish!: () => void;
    const pool = new ModernServerPool(() => {
      const server = new McpServer({ name: 't', version: '1' });
      server.registerTool('quick', { description: 'keeps its context' }, (ctx) => {
        stale = boundToExchange(server, ctx);
        return { content: [] };
      });
      server.registerTool('waits', { description: 'reports progress, then waits' }, async (ctx) => {
        const bound = boundToExchange(server, ctx);
        await bound.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: 7, progress: 1, message: 'own progress' },
        });
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return { content: [] };
      });
      return server;
    });
    const handler = createMcpHandler(() => pool.acquire(), { legacy: 'reject' });

    await (await handler.fetch(callTool(1, 'quick'))).json();
    // The same JSON-RPC id on the reused server: only the id would tell the exchanges apart.
    const streamed = await handler.fetch(callTool(1, 'waits', 7));
    await stale?.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken: 7, progress: 2, message: 'late progress' },
    });
    finish();
    const text = await streamed.text();
    expect(text).toContain('own progress');
    expect(text).not.toContain('late progress');
    await handler.close();
  });
});
