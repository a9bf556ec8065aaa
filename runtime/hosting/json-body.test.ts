// readJsonBody on a real node server: what /mcp refuses before it parses, and what it accepts.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type JsonBody, readJsonBody } from './json-body.js';

const limit = 1024;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
});

/** What each request's read answered, in order. */
const reads: (JsonBody | undefined)[] = [];

async function serve(): Promise<number> {
  reads.length = 0;
  server = createServer(async (req, res) => {
    const read = await readJsonBody(req, limit);
    reads.push(read);
    res.setHeader('connection', 'close');
    res.end(JSON.stringify(read ?? null));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** POSTs `chunks` one after another (chunked when `contentLength` is not given). */
function post(
  port: number,
  contentType: string | undefined,
  chunks: readonly string[],
  contentLength?: number,
): Promise<JsonBody> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          ...(contentType ? { 'content-type': contentType } : {}),
          ...(contentLength === undefined ? {} : { 'content-length': contentLength }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve(JSON.parse(text) as JsonBody));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readJsonBody', () => {
  it('parses application/json, with parameters, and +json types', async () => {
    const port = await serve();
    expect(await post(port, 'application/json', ['{"a":', '[1,2]}'])).toEqual({
      ok: true,
      value: { a: [1, 2] },
    });
    expect(await post(port, 'Application/JSON; charset=utf-8', ['[true]'])).toEqual({
      ok: true,
      value: [true],
    });
    expect(await post(port, 'application/vnd.api+json', ['"x"'])).toEqual({ ok: true, value: 'x' });
  });

  it('refuses another Content-Type, or none, with 415', async () => {
    const port = await serve();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      expect(await post(port, type, ['{}'])).toMatchObject({
        ok: false,
        status: 415,
        reason: 'media-type',
      });
    }
  });

  it('refuses a body over the limit with 413, declared or streamed, and the answer arrives', async () => {
    const port = await serve();
    const tooLarge = { ok: false, status: 413, reason: 'too-large' };
    expect(await post(port, 'application/json', ['x'.repeat(limit + 1)], limit + 1)).toMatchObject(
      tooLarge,
    );
    expect(await post(port, 'application/json', ['[', '1,'.repeat(limit), '1]'])).toMatchObject(
      tooLarge,
    );
    const exact = `"${'x'.repeat(limit - 2)}"`;
    expect(await post(port, 'application/json', [exact])).toMatchObject({ ok: true });
  });

  it('refuses an empty body and text that is not JSON with 400', async () => {
    const port = await serve();
    expect(await post(port, 'application/json', [])).toEqual({
      ok: false,
      status: 400,
      reason: 'empty',
      message: 'Bad Request: empty body',
    });
    const broken = await post(port, 'application/json', ['{"a":']);
    expect(broken).toMatchObject({ ok: false, status: 400, reason: 'not-json' });
    expect(broken.ok === false && broken.message).toMatch(/^Parse error: the body is not JSON \(/);
  });

  it('answers undefined when the client goes away mid-body, and the server goes on', async () => {
    const port = await serve();
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 100 },
      });
      req.on('error', () => resolve());
      req.write('{"half": ', () => setTimeout(() => req.destroy(), 50));
    });
    await expect.poll(() => reads.length).toBe(1);
    expect(reads[0]).toBeUndefined();
    expect(await post(port, 'application/json', ['{}'])).toEqual({ ok: true, value: {} });
  });
});
