import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortInUse, portInUseMessage, probeRegistry } from './ports.js';

const servers: (Server | NetServer)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function listen<T extends Server | NetServer>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function http(status: number, body: unknown): Server {
  return createHttpServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
}

describe('isPortInUse', () => {
  it('tells a taken port from a free one', async () => {
    const port = await listen(createServer());
    expect(await isPortInUse(port, '127.0.0.1')).toBe(true);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await isPortInUse(port, '127.0.0.1')).toBe(false);
  });

  it('says what to do about it', () => {
    expect(portInUseMessage(8000)).toBe(
      'port 8000 is in use by another process — stop it or pass --registry-url / MCP_MESH_HTTP_PORT',
    );
    expect(portInUseMessage(9001, 'greeter')).toBe(
      'port 9001 of agent greeter is in use by another process — stop it or pass --env MCP_MESH_HTTP_PORT=<port> (0 for any free port)',
    );
  });
});

describe('probeRegistry', () => {
  it('recognises a registry by its health document', async () => {
    const port = await listen(http(200, { status: 'healthy', service: 'mcp-mesh-registry' }));
    expect(await probeRegistry(`http://127.0.0.1:${port}`)).toEqual({
      kind: 'registry',
      healthy: true,
    });
  });

  it('takes a registry that reports unhealthy for a registry', async () => {
    const port = await listen(http(503, { status: 'unhealthy', service: 'mcp-mesh-registry' }));
    expect(await probeRegistry(`http://127.0.0.1:${port}`)).toEqual({
      kind: 'registry',
      healthy: false,
    });
  });

  it('does not take an agent, or any other server, for a registry', async () => {
    const agent = await listen(http(200, { status: 'healthy', agent: 'greeter' }));
    expect(await probeRegistry(`http://127.0.0.1:${agent}`)).toMatchObject({ kind: 'other' });
    const other = await listen(http(404, { error: 'not found' }));
    expect(await probeRegistry(`http://127.0.0.1:${other}`)).toMatchObject({
      kind: 'other',
      detail: 'it answered GET /health with HTTP 404, not as a registry',
    });
  });

  it('answers none when nothing listens, or nothing answers in time', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await probeRegistry(`http://127.0.0.1:${port}`)).toMatchObject({ kind: 'none' });
    const silent = await listen(createServer((socket) => sockets.push(socket)));
    expect(await probeRegistry(`http://127.0.0.1:${silent}`, 200)).toMatchObject({
      kind: 'none',
    });
  });
});
