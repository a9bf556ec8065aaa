// The agent's request listener on a real node server: paths, methods, HEAD, failures.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Route, routeRequests, sendJson } from './agent-router.js';

const logged: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'error' },
  { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
);
let server: Server | undefined;

afterEach(async () => {
  logged.length = 0;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(routes: Map<string, Route>): Promise<string> {
  server = createServer(routeRequests(routes, logger));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const hello: Route = {
  methods: ['GET'],
  handle: (_req, res) => sendJson(res, 200, { hello: 'world' }),
};

describe('routeRequests', () => {
  it('serves a path whatever its query string, with a JSON body and its length', async () => {
    const url = await serve(new Map([['/hello', hello]]));
    const answer = await fetch(`${url}/hello?x=1&y`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('content-length')).toBe(String('{"hello":"world"}'.length));
    expect(await answer.json()).toEqual({ hello: 'world' });
  });

  it('answers HEAD on a GET route with its status and headers and no body', async () => {
    const url = await serve(new Map([['/hello', hello]]));
    const answer = await fetch(`${url}/hello`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-length')).toBe(String('{"hello":"world"}'.length));
    expect(await answer.text()).toBe('');
  });

  it('answers an unknown path 404 naming the paths it serves', async () => {
    const url = await serve(new Map([['/hello', hello]]));
    const answer = await fetch(`${url}/hello/there`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      error: 'not_found',
      message: 'the agent serves no /hello/there: its paths are /hello',
    });
  });

  it('answers a method a path does not take 405 with Allow', async () => {
    const url = await serve(new Map([['/hello', hello]]));
    const answer = await fetch(`${url}/hello`, { method: 'PUT' });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
    expect(await answer.json()).toEqual({
      error: 'method_not_allowed',
      message: '/hello takes GET, HEAD, not PUT',
    });
  });

  it('answers 500 when a handler fails, logs it once, and goes on serving', async () => {
    const failing: Route = {
      methods: ['POST'],
      handle: async () => {
        throw new Error('boom');
      },
    };
    const url = await serve(
      new Map([
        ['/fail', failing],
        ['/hello', hello],
      ]),
    );
    const answer = await fetch(`${url}/fail`, { method: 'POST' });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      error: 'internal',
      message: 'the agent failed to answer; see its log',
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: 'request failed',
      method: 'POST',
      path: '/fail',
      err: { message: 'boom' },
    });
    expect((await fetch(`${url}/hello`)).status).toBe(200);
  });

  it('cuts the connection of a handler that fails after it began answering', async () => {
    const halfway: Route = {
      methods: ['GET'],
      handle: async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        throw new Error('gone wrong mid-answer');
      },
    };
    const url = await serve(new Map([['/halfway', halfway]]));
    // Whether or not the head had left, the caller sees the exchange fail, never a short answer.
    await expect(fetch(`${url}/halfway`).then((answer) => answer.text())).rejects.toThrow();
    expect(logged).toHaveLength(1);
  });
});
