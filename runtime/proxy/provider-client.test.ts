// ProviderClient against a scripted provider (node:http): what goes on the wire in each era, and
// how every kind of answer comes back. The same client against real agents of both eras is in
// provider-client.agent.test.ts.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.js';
import { ResponseTooLargeError, withOutboundCall } from './outbound-headers.js';
import { ProviderClient, type RawToolResult } from './provider-client.js';
import type { ProviderProtocol } from './provider-protocol.js';

interface SeenRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    id?: number;
    method: string;
    params?: { name?: string; arguments?: unknown; _meta?: Record<string, unknown> } & Record<
      string,
      unknown
    >;
  };
  /** Resolves when the client closed the exchange before it was answered. */
  readonly closedEarly: Promise<void>;
}

type Answer = (request: SeenRequest, res: ServerResponse) => void;

const modern: ProviderProtocol = {
  version: '2026-07-28',
  modern: true,
  envelope: '"io.modelcontextprotocol/protocolVersion":"2026-07-28"',
};
const legacy = (sessionId = 's-1'): ProviderProtocol => ({
  version: '2025-11-25',
  modern: false,
  sessionId,
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((resource) => resource.close()));
});

/** A provider answering each POST with `answer`; records every request. */
async function fakeProvider(answer: Answer) {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const closedEarly = new Promise<void>((resolve) => {
        res.once('close', () => {
          if (!res.writableFinished) resolve();
        });
      });
      const request: SeenRequest = {
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        closedEarly,
      };
      seen.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { endpoint, seen, calls: () => seen.filter((r) => r.body.method === 'tools/call') };
}

/** A client of `endpoint` whose negotiation answers `protocols` in turn (the last one after). */
async function clientOf(endpoint: string, ...protocols: ProviderProtocol[]) {
  const dispatcher = new Agent({ connections: 4 });
  open.push({ close: () => dispatcher.destroy() });
  let negotiations = 0;
  const client = await ProviderClient.connect(endpoint, dispatcher, async () => {
    const protocol = protocols[Math.min(negotiations, protocols.length - 1)]!;
    negotiations++;
    return protocol;
  });
  return { client, negotiations: () => negotiations };
}

function json(res: ServerResponse, message: unknown, status = 200, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(message));
}

const result = (id: number | undefined, value: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  result: {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value,
    ...extra,
  },
});

const answerEcho: Answer = (request, res) =>
  json(res, result(request.body.id, request.body.params?.arguments, { resultType: 'complete' }));

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the call should have failed');
    },
    (error: unknown) => error,
  );
}

describe('ProviderClient', () => {
  it('2026 era: a JSON-RPC POST with the envelope and the era headers; the raw result back', async () => {
    const provider = await fakeProvider((request, res) =>
      json(
        res,
        result(request.body.id, { ok: true }, { resultType: 'complete', _meta: { sticky: 'a' } }),
      ),
    );
    const { client } = await clientOf(provider.endpoint, modern);
    const answer = await withOutboundCall(
      { headers: { 'X-Team': 'blue', traceparent: 't', 'Mcp-Session-Id': 'forged' } },
      () => client.callTool({ name: 'echo', arguments: { text: 'hi' } }),
    );
    expect(answer).toMatchObject({ structuredContent: { ok: true }, _meta: { sticky: 'a' } });
    const [request] = provider.calls();
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
      'x-team': 'blue',
      traceparent: 't',
    });
    expect(request?.headers['mcp-session-id']).toBeUndefined();
    expect(request?.body).toEqual({
      jsonrpc: '2.0',
      id: expect.any(Number),
      method: 'tools/call',
      params: {
        name: 'echo',
        arguments: { text: 'hi' },
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
      },
    });
  });

  it('2025 era: the session id and version on every call, no envelope; ids never repeat', async () => {
    const provider = await fakeProvider(answerEcho);
    const { client } = await clientOf(provider.endpoint, legacy('s-9'));
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        client.callTool({ name: 'echo', arguments: { index } }),
      ),
    );
    const calls = provider.calls();
    expect(new Set(calls.map((call) => call.body.id)).size).toBe(20);
    for (const call of calls) {
      expect(call.headers).toMatchObject({
        'mcp-protocol-version': '2025-11-25',
        'mcp-session-id': 's-9',
      });
      expect(call.headers['mcp-method']).toBeUndefined();
      expect(call.body.params?._meta).toBeUndefined();
    }
  });

  it('streams: progress of this call in order (others ignored), then the result', async () => {
    const provider = await fakeProvider((request, res) => {
      const token = request.body.params?._meta?.progressToken;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const frame = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;
      const progress = (progressToken: unknown, progress: number) => ({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken, progress, total: 2, message: `step ${progress}` },
      });
      res.write(': primed\n\n');
      res.write(frame(progress(token, 1)));
      res.write(frame(progress('someone else', 9)));
      // A frame cut in two writes.
      const second = frame(progress(token, 2));
      res.write(second.slice(0, 10));
      setTimeout(() => {
        res.write(second.slice(10));
        res.end(frame(result(request.body.id, { done: true })));
      }, 20);
    });
    const { client } = await clientOf(provider.endpoint, modern);
    const updates: unknown[] = [];
    const answer = await client.callTool(
      { name: 'ticker' },
      { onprogress: (update) => updates.push(update) },
    );
    expect(answer.structuredContent).toEqual({ done: true });
    expect(updates).toEqual([
      { progress: 1, total: 2, message: 'step 1' },
      { progress: 2, total: 2, message: 'step 2' },
    ]);
    expect(provider.calls()[0]?.body.params?._meta).toMatchObject({
      progressToken: provider.calls()[0]?.body.id,
    });
  });

  it('2025 era: a request of the provider mid-call is answered at once (ping) or refused', async () => {
    const provider = await fakeProvider((request, res) => {
      if (request.body.method !== 'tools/call') {
        res.writeHead(202).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' })}\n\n`);
      res.write(
        `data: ${JSON.stringify({ jsonrpc: '2.0', id: 'srv-2', method: 'elicitation/create', params: {} })}\n\n`,
      );
      res.end(`data: ${JSON.stringify(result(request.body.id, { ok: 1 }))}\n\n`);
    });
    const { client } = await clientOf(provider.endpoint, legacy('s-3'));
    await client.callTool({ name: 'asks' }, { onprogress: () => {} });
    await expect.poll(() => provider.seen.length).toBe(3);
    const answers = provider.seen.slice(1);
    expect(answers.map((answer) => answer.body)).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', id: 'srv-1', result: {} },
        {
          jsonrpc: '2.0',
          id: 'srv-2',
          error: { code: -32601, message: 'Method not found: elicitation/create' },
        },
      ]),
    );
    for (const answer of answers) expect(answer.headers['mcp-session-id']).toBe('s-3');
  });

  it('with resetTimeoutOnProgress, progress keeps a long call alive', async () => {
    const provider = await fakeProvider((request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const tick = setInterval(() => {
        sent++;
        const token = request.body.params?._meta?.progressToken;
        const message =
          sent < 8
            ? {
                jsonrpc: '2.0',
                method: 'notifications/progress',
                params: { progressToken: token, progress: sent },
              }
            : result(request.body.id, { sent });
        res.write(`data: ${JSON.stringify(message)}\n\n`);
        if (sent === 8) {
          clearInterval(tick);
          res.end();
        }
      }, 50);
    });
    const { client } = await clientOf(provider.endpoint, modern);
    const answer = await client.callTool(
      { name: 'ticker' },
      { timeout: 300, resetTimeoutOnProgress: true, onprogress: () => {} },
    );
    expect(answer.structuredContent).toEqual({ sent: 8 });
  });

  it('2025 era: a timeout rejects as the SDK does and sends notifications/cancelled', async () => {
    const provider = await fakeProvider((request, res) => {
      if (request.body.method === 'notifications/cancelled') res.writeHead(202).end();
      // A tools/call is never answered.
    });
    const { client } = await clientOf(provider.endpoint, legacy('s-2'));
    const error = await thrown(client.callTool({ name: 'slow' }, { timeout: 100 }));
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
    await expect.poll(() => provider.seen.length).toBe(2);
    const [call, cancel] = provider.seen;
    expect(cancel?.body).toMatchObject({
      method: 'notifications/cancelled',
      params: { requestId: call?.body.id },
    });
    expect(cancel?.headers['mcp-session-id']).toBe('s-2');
    await call?.closedEarly;
  });

  it('2026 era: an abort closes the exchange (the provider sees it) and sends nothing else', async () => {
    const provider = await fakeProvider(() => {});
    const { client } = await clientOf(provider.endpoint, modern);
    const controller = new AbortController();
    const pending = client.callTool({ name: 'slow' }, { signal: controller.signal });
    await expect.poll(() => provider.seen.length).toBe(1);
    controller.abort(new Error('the caller left'));
    const error = await thrown(pending);
    expect(error).toBeInstanceOf(SdkError);
    expect((error as Error).message).toContain('the caller left');
    await provider.seen[0]?.closedEarly;
    expect(provider.seen).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const provider = await fakeProvider(answerEcho);
    const { client } = await clientOf(provider.endpoint, modern);
    await thrown(client.callTool({ name: 'echo' }, { signal: AbortSignal.abort() }));
    expect(provider.seen).toHaveLength(0);
  });

  it('2025 era: a session the provider forgot (404) is opened again once and the call re-sent', async () => {
    const provider = await fakeProvider((request, res) => {
      if (request.headers['mcp-session-id'] === 'old') {
        json(
          res,
          {
            jsonrpc: '2.0',
            id: request.body.id,
            error: { code: -32001, message: 'Session not found' },
          },
          404,
        );
      } else answerEcho(request, res);
    });
    const { client, negotiations } = await clientOf(
      provider.endpoint,
      legacy('old'),
      legacy('new'),
    );
    const answers = await Promise.all([
      client.callTool({ name: 'echo', arguments: { n: 1 } }),
      client.callTool({ name: 'echo', arguments: { n: 2 } }),
    ]);
    expect(answers.map((answer: RawToolResult) => answer.structuredContent)).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
    // One handshake at connect, one for both calls that found the session gone.
    expect(negotiations()).toBe(2);
    expect(provider.calls().map((call) => call.headers['mcp-session-id'])).toEqual([
      'old',
      'old',
      'new',
      'new',
    ]);
  });

  it('a session forgotten again right after opening it fails instead of looping', async () => {
    const provider = await fakeProvider((_request, res) => json(res, {}, 404));
    const { client, negotiations } = await clientOf(provider.endpoint, legacy('a'), legacy('b'));
    await thrown(client.callTool({ name: 'echo' }));
    expect(negotiations()).toBe(2);
    expect(provider.calls()).toHaveLength(2);
  });

  it('HTTP failures come back as the SDK reports them, Retry-After included', async () => {
    const statuses = [503, 429, 401, 500];
    const provider = await fakeProvider((_request, res) => {
      const status = statuses[provider.calls().length - 1]!;
      res.writeHead(status, { 'content-type': 'text/plain', 'retry-after': '2' });
      res.end(`status ${status}`);
    });
    const { client } = await clientOf(provider.endpoint, modern);
    const codes = [];
    for (const status of statuses) {
      const error = await thrown(client.callTool({ name: 'echo' }));
      expect(error).toBeInstanceOf(SdkHttpError);
      expect((error as SdkHttpError).status).toBe(status);
      expect((error as SdkHttpError).message).toContain(`status ${status}`);
      expect((error as SdkHttpError).data).toMatchObject({ retryAfterMs: 2_000 });
      const failure = classifyFailure(error, 'c', 'p');
      codes.push([failure.error.code, failure.error.retryable]);
    }
    expect(codes).toEqual([
      ['transport', true],
      ['transport', true],
      ['unauthorized', false],
      ['transport', false],
    ]);
  });

  it('a JSON-RPC error is a ProtocolError: in a 200 answer, or in a 2026-era 400', async () => {
    const provider = await fakeProvider((request, res) =>
      json(
        res,
        {
          jsonrpc: '2.0',
          id: request.body.id,
          error: { code: -32602, message: 'Unknown tool: nope' },
        },
        provider.calls().length === 1 ? 200 : 400,
      ),
    );
    const { client } = await clientOf(provider.endpoint, modern);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await thrown(client.callTool({ name: 'nope' }));
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe(-32602);
      expect(classifyFailure(error, 'c', 'p').error.code).toBe('remote_tool_error');
    }
  });

  it('max_response_size: refused by Content-Length, or at the first chunk past it (JSON and SSE)', async () => {
    const big = 'x'.repeat(5_000);
    const provider = await fakeProvider((request, res) => {
      const kind = request.body.params?.arguments as { kind: string };
      const message = result(request.body.id, { big });
      if (kind.kind === 'sized') json(res, message);
      else if (kind.kind === 'chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const text = JSON.stringify(message);
        res.write(text.slice(0, 100));
        setTimeout(() => res.end(text.slice(100)), 10);
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify(message)}\n\n`);
      }
    });
    const { client } = await clientOf(provider.endpoint, modern);
    for (const kind of ['sized', 'chunked', 'sse']) {
      const error = await thrown(
        withOutboundCall({ headers: {}, maxResponseSize: 1_000 }, () =>
          client.callTool({ name: 'big', arguments: { kind } }),
        ),
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(classifyFailure(error, 'c', 'p').error.code).toBe('response_too_large');
      // Within the limit it is fine.
      await expect(
        withOutboundCall({ headers: {}, maxResponseSize: 100_000 }, () =>
          client.callTool({ name: 'big', arguments: { kind } }),
        ),
      ).resolves.toMatchObject({ structuredContent: { big } });
    }
  });

  it('an unreachable provider fails with the socket error, which counts as a connection failure', async () => {
    const provider = await fakeProvider(answerEcho);
    const { client } = await clientOf(provider.endpoint, modern);
    await open.splice(0, 1)[0]?.close();
    const error = await thrown(client.callTool({ name: 'echo' }));
    expect(classifyFailure(error, 'c', 'p')).toMatchObject({ connectionFailed: true });
  });

  it('refuses what a mesh call cannot take: a result asking for input, a stream with no answer', async () => {
    const provider = await fakeProvider((request, res) => {
      if (request.body.params?.name === 'asks') {
        json(res, {
          jsonrpc: '2.0',
          id: request.body.id,
          result: { resultType: 'input_required', inputRequests: {} },
        });
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(': nothing\n\n');
      }
    });
    const { client } = await clientOf(provider.endpoint, modern);
    expect(await thrown(client.callTool({ name: 'asks' }))).toBeInstanceOf(SdkError);
    const silent = await thrown(client.callTool({ name: 'silent' }));
    expect((silent as Error).message).toContain('without answering');
  });
});
