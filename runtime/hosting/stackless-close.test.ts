import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer, SdkError, SdkErrorCode } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { withStacklessClose } from './stackless-close.js';

describe('withStacklessClose', () => {
  it('closes as before: handlers still running are aborted with the connection-closed error', async () => {
    const server = withStacklessClose(new McpServer({ name: 't', version: '1' }));
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let abortReason: unknown;
    let errorInListener: Error | undefined;
    server.registerTool('wait', { description: 'waits until aborted' }, (ctx) => {
      started();
      return new Promise((resolve) => {
        ctx.mcpReq.signal.addEventListener('abort', () => {
          abortReason = ctx.mcpReq.signal.reason;
          errorInListener = new Error('made while handling the abort');
          resolve({ content: [] });
        });
      });
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide);
    const limit = Error.stackTraceLimit;

    void client.callTool({ name: 'wait', arguments: {} }).catch(() => {});
    await running;
    await server.close();

    expect(abortReason).toBeInstanceOf(SdkError);
    expect((abortReason as SdkError).code).toBe(SdkErrorCode.ConnectionClosed);
    expect((abortReason as SdkError).message).toBe('Connection closed');
    expect((abortReason as SdkError).stack).not.toContain('\n    at ');
    expect(errorInListener?.stack).toContain('\n    at ');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(server.server.transport).toBeUndefined();
  });
});
