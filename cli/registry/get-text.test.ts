import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/e2e/support/free-port.js';
import { AnswerTimeoutError, getText } from './get-text.js';
import { isUnreachable } from './registry-client.js';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serving(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('getText', () => {
  it('answers the status and the whole body, with the headers sent', async () => {
    const url = await serving((request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.write('{"error":');
      response.end(`"${request.headers.accept}"}`);
    });
    expect(
      await getText(`${url}/agents`, { headers: { accept: 'application/json' }, timeoutMs: 5_000 }),
    ).toEqual({ status: 404, text: '{"error":"application/json"}' });
  });

  it('gives up on a server that never answers with AnswerTimeoutError', async () => {
    const url = await serving(() => undefined);
    await expect(getText(url, { headers: {}, timeoutMs: 200 })).rejects.toBeInstanceOf(
      AnswerTimeoutError,
    );
  });

  it('fails with an error that reads as unreachable when nothing listens', async () => {
    const error = await getText(`http://127.0.0.1:${await freePort()}`, {
      headers: {},
      timeoutMs: 5_000,
    }).catch((thrown: unknown) => thrown);
    expect(isUnreachable(error)).toBe(true);
  });
});
