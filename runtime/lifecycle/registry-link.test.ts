// RegistryLink against a scripted registry on loopback: what it sends, and when.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentMetadata } from '../metadata.js';
import { registrationBody } from './registration-body.js';
import { type HeartbeatAnswer, RegistryClient } from './registry-client.js';
import { RegistryLink } from './registry-link.js';

interface FakeRegistry {
  readonly url: string;
  /** `METHOD path` of every request, in order. */
  readonly seen: string[];
  /** Statuses the next HEADs answer (then 200). */
  readonly headStatuses: number[];
  /** Whether `GET /watch` streams (true) or answers 404 like the predecessor's registry. */
  watchable: boolean;
  /** Sends a topology event on every open watch stream. */
  emit(revision: number): void;
  close(): Promise<void>;
}

async function fakeRegistry(): Promise<FakeRegistry> {
  const seen: string[] = [];
  const headStatuses: number[] = [];
  const streams = new Set<ServerResponse>();
  let revision = 1;
  const state = { watchable: true };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    seen.push(`${request.method} ${path}`);
    request.resume();
    if (request.method === 'POST' && path === '/heartbeat') {
      request.on('end', () => {
        revision += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            agent_id: 'agent-1',
            status: 'success',
            revision,
            dependencies_resolved: {},
          }),
        );
      });
      return;
    }
    if (request.method === 'HEAD' && path.startsWith('/heartbeat/')) {
      response.writeHead(headStatuses.shift() ?? 200).end();
      return;
    }
    if (request.method === 'GET' && path === '/watch') {
      if (!state.watchable) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': watching\n\n');
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return;
    }
    if (request.method === 'DELETE' && path.startsWith('/agents/')) {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    headStatuses,
    get watchable() {
      return state.watchable;
    },
    set watchable(value) {
      state.watchable = value;
    },
    emit(next) {
      for (const stream of streams)
        stream.write(
          `event: topology\nid: ${next}\ndata: ${JSON.stringify({ revision: next })}\n\n`,
        );
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const metadata: AgentMetadata = {
  name: 'agent',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [
    {
      name: 'tool',
      capability: 'cap',
      version: '1.0.0',
      tags: [],
      inputSchema: { type: 'object' },
      kwargs: {},
      dependencies: [],
    },
  ],
  resources: [],
  prompts: [],
};

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const count = (seen: readonly string[], request: string) =>
  seen.filter((entry) => entry === request).length;

describe('RegistryLink', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function linked(intervalMs: number) {
    const registry = await fakeRegistry();
    closers.push(() => registry.close());
    const answers: HeartbeatAnswer[] = [];
    const link = new RegistryLink({
      client: new RegistryClient(registry.url),
      agentId: 'agent-1',
      body: registrationBody('agent-1', metadata, { host: '127.0.0.1', port: 1234 }),
      intervalMs,
      logger: pino({ level: 'silent' }),
      onResolution: (answer) => answers.push(answer),
    });
    closers.push(() => link.stop());
    link.start();
    return { registry, link, answers };
  }

  it('registers once with the full body, then sends fast heartbeats every interval', async () => {
    const { registry, answers } = await linked(30);
    await until('three heartbeats', () => count(registry.seen, 'HEAD /heartbeat/agent-1') >= 3);
    expect(count(registry.seen, 'POST /heartbeat')).toBe(1);
    expect(registry.seen[0]).toBe('POST /heartbeat');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.agent_id).toBe('agent-1');
    await until('the watch stream', () => registry.seen.includes('GET /watch'));
  });

  it.each([202, 410])('sends a full heartbeat again after HEAD answers %d', async (status) => {
    const { registry, answers } = await linked(30);
    await until('registered', () => answers.length === 1);
    registry.headStatuses.push(status);
    // Its answer, not only its arrival: the registry sees the POST before the link has the answer.
    await until('a second registration answered', () => answers.length === 2);
    expect(count(registry.seen, 'POST /heartbeat')).toBe(2);
    // And back to fast heartbeats afterwards.
    const heads = count(registry.seen, 'HEAD /heartbeat/agent-1');
    await until(
      'more heartbeats',
      () => count(registry.seen, 'HEAD /heartbeat/agent-1') > heads + 1,
    );
    expect(count(registry.seen, 'POST /heartbeat')).toBe(2);
  });

  it('a watch event wakes it for a full heartbeat at once, without waiting for the interval', async () => {
    const { registry, answers } = await linked(60_000);
    await until('watching', () => registry.seen.includes('GET /watch') && answers.length === 1);
    // Let the stream's first bytes arrive before the event.
    await new Promise((resolve) => setTimeout(resolve, 50));
    registry.emit(99);
    await until('a second registration', () => answers.length === 2, 2_000);
    expect(count(registry.seen, 'POST /heartbeat')).toBe(2);
  });

  it('backs off after a failed heartbeat and carries on', async () => {
    const { registry } = await linked(20);
    await until('registered', () => count(registry.seen, 'HEAD /heartbeat/agent-1') >= 1);
    registry.headStatuses.push(503);
    const heads = count(registry.seen, 'HEAD /heartbeat/agent-1');
    // The first backoff is at most one second.
    await until(
      'heartbeats after the 503',
      () => count(registry.seen, 'HEAD /heartbeat/agent-1') >= heads + 3,
      3_000,
    );
    expect(count(registry.seen, 'POST /heartbeat')).toBe(1);
  });

  it("works on heartbeats alone with a registry that has no watch stream (the predecessor's)", async () => {
    const registry = await fakeRegistry();
    registry.watchable = false;
    closers.push(() => registry.close());
    const link = new RegistryLink({
      client: new RegistryClient(registry.url),
      agentId: 'agent-1',
      body: registrationBody('agent-1', metadata, { host: '127.0.0.1', port: 1234 }),
      intervalMs: 20,
      logger: pino({ level: 'silent' }),
      onResolution: () => {},
    });
    closers.push(() => link.stop());
    link.start();
    await until('heartbeats', () => count(registry.seen, 'HEAD /heartbeat/agent-1') >= 10);
    expect(count(registry.seen, 'GET /watch')).toBe(1);
  });

  it('stop() unregisters, and nothing is sent after it', async () => {
    const { registry, link, answers } = await linked(20);
    await until('registered', () => answers.length === 1);
    await link.stop();
    expect(registry.seen.at(-1)).toBe('DELETE /agents/agent-1');
    const sent = registry.seen.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registry.seen.length).toBe(sent);
  });

  it('stop() is bounded when the registry is gone', async () => {
    const { registry, link, answers } = await linked(20);
    await until('registered', () => answers.length === 1);
    await registry.close();
    const started = Date.now();
    await link.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
