// RegistryClient.watch against a registry stand-in on loopback that writes its event stream in
// awkward but valid ways: CRLF line ends, `data:` without a space, bytes cut anywhere.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from './registry-client.js';

const servers: Server[] = [];
const clients: RegistryClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A `GET /watch` that writes `pieces` one by one (each flushed on its own), then ends. */
async function watchServing(pieces: readonly Uint8Array[]): Promise<RegistryClient> {
  const server = createServer(async (request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of pieces) {
      await new Promise<void>((resolve) => response.write(piece, () => resolve()));
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new RegistryClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  clients.push(client);
  return client;
}

async function revisionsSeen(client: RegistryClient): Promise<number[]> {
  const revisions: number[] = [];
  await client.watch('agent-1', undefined, new AbortController().signal, (revision) =>
    revisions.push(revision),
  );
  return revisions;
}

/** The stream's bytes cut at every `step`th byte (so multi-byte characters are split too). */
function cut(text: string, step: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += step)
    pieces.push(bytes.subarray(start, start + step));
  return pieces;
}

describe('RegistryClient.watch', () => {
  it('reads events with CRLF line ends', async () => {
    const stream =
      ': watching\r\n\r\nevent: topology\r\nid: 3\r\ndata: {"revision":3}\r\n\r\n' +
      'event: topology\r\ndata: {"revision":4}\r\n\r\n';
    expect(await revisionsSeen(await watchServing(cut(stream, 1_000)))).toEqual([3, 4]);
  });

  it('reads `data:` without a space and data split over lines, as the standard allows', async () => {
    const stream = 'event: topology\ndata:{"revision":5}\n\ndata: {"revision":\ndata: 6}\n\n';
    expect(await revisionsSeen(await watchServing(cut(stream, 1_000)))).toEqual([5, 6]);
  });

  it('does not depend on where the bytes are cut, inside a UTF-8 character included', async () => {
    const stream =
      'event: topology\r\ndata: {"revision":7,"agent":"météo-ü"}\r\n\r\n' +
      'event: topology\ndata: {"revision":8,"agent":"天気"}\n\n';
    for (const step of [1, 2, 3, 5])
      expect(
        await revisionsSeen(await watchServing(cut(stream, step))),
        `cut every ${step}`,
      ).toEqual([7, 8]);
  });
});
