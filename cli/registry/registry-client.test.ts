import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import {
  RegistryClient,
  RegistryRequestError,
  RegistryUnreachableError,
  registryUnreachableMessage,
} from './registry-client.js';
import { registryUrlFrom } from './registry-url.js';

// A stand-in registry: answers by path, and records what was asked.
const asked: string[] = [];
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    const send = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    };
    if (request.url === '/agents')
      send(200, JSON.stringify({ agents: [], count: 0, timestamp: 'now' }));
    else if (request.url?.startsWith('/events?'))
      send(200, JSON.stringify({ events: [], count: 0 }));
    else if (request.url === '/broken/agents') send(200, '<html>not a registry</html>');
    else if (request.url === '/refusing/agents')
      send(
        503,
        JSON.stringify({ error: 'unavailable', message: 'the registry cannot reach its database' }),
      );
    else send(404, JSON.stringify({ error: 'not_found', message: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the registry client', () => {
  it('reads agents and events, passing the filters as query parameters', async () => {
    const client = new RegistryClient(baseUrl);
    expect(await client.listAgents()).toEqual([]);
    await client.listEvents({
      agentId: 'greeter-1',
      type: 'register',
      functionName: 'greet',
      limit: 5,
    });
    expect(asked.at(-1)).toBe(
      '/events?agent_id=greeter-1&type=register&function_name=greet&limit=5',
    );
    expect(client.proxyUrl('ns:agent 1')).toBe(`${baseUrl}/proxy/ns%3Aagent%201/mcp`);
  });

  it('says how to get a registry when none answers', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closed}`;
    const failure = new RegistryClient(url).listAgents();
    await expect(failure).rejects.toBeInstanceOf(RegistryUnreachableError);
    await expect(failure).rejects.toThrow(
      `registry unreachable at ${url} — start one with \`meshctl registry start\` (or \`meshctl start\`), or set MCP_MESH_REGISTRY_URL / --registry-url`,
    );
    expect(registryUnreachableMessage('http://localhost:8000')).toContain('http://localhost:8000');
  });

  it("passes on the registry's own error message, and spots a server that is not a registry", async () => {
    await expect(new RegistryClient(`${baseUrl}/refusing`).listAgents()).rejects.toThrow(
      /refused GET \/agents \(503 unavailable\): the registry cannot reach its database$/,
    );
    const notRegistry = new RegistryClient(`${baseUrl}/broken`).listAgents();
    await expect(notRegistry).rejects.toBeInstanceOf(RegistryRequestError);
    await expect(notRegistry).rejects.toThrow(
      /but not as an MCP Mesh registry; check --registry-url/,
    );
  });
});

describe('the registry URL', () => {
  it('comes from --registry-url, else MCP_MESH_REGISTRY_URL, else localhost:8000', () => {
    expect(registryUrlFrom('http://a:1/', { MCP_MESH_REGISTRY_URL: 'http://b:2' })).toBe(
      'http://a:1',
    );
    expect(registryUrlFrom(undefined, { MCP_MESH_REGISTRY_URL: 'http://b:2//' })).toBe(
      'http://b:2',
    );
    expect(registryUrlFrom(undefined, { MCP_MESH_REGISTRY_URL: '' })).toBe('http://localhost:8000');
    expect(registryUrlFrom(undefined, {})).toBe('http://localhost:8000');
  });

  it('must be an http(s) URL', () => {
    expect(() => registryUrlFrom('localhost:8000', {})).toThrow(UsageError);
    expect(() => registryUrlFrom(undefined, { MCP_MESH_REGISTRY_URL: 'nope' })).toThrow(
      'MCP_MESH_REGISTRY_URL "nope" is not a URL; give one like http://localhost:8000',
    );
    expect(() => registryUrlFrom('ftp://host', {})).toThrow(
      /must start with http:\/\/ or https:\/\//,
    );
  });
});
