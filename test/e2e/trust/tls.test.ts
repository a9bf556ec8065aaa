// TLS end to end, on certificates made by openssl for this run: the registry and the greeting
// example's agents (greeter -> clock) serve HTTPS; the agents register over HTTPS with their
// credentials and call each other over HTTPS trusting the test CA; a client that does not trust
// it is refused, plain HTTP gets no answer, and meshctl lists the agents over HTTPS.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clock from '../../../examples/greeting/handlers/clock.js';
import greeter from '../../../examples/greeting/handlers/greeter.js';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { type RunningAgent, runAgent } from '../../../runtime/run-agent.js';
import { type TestMesh, testMesh } from '../../../runtime/trust/trust.fixture.js';
import { eventually, testConfig } from '../runtime/support/mesh.js';
import {
  type RegistryProcess,
  repositoryRoot,
  startRegistryProcess,
} from '../support/registry-process.js';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.js';

const run = promisify(execFile);

describe('TLS for the registry and agents', () => {
  let certificates: TestCertificates;
  let mesh: TestMesh;
  let database: TestDatabase;
  let registry: RegistryProcess;
  let folder: string;
  const agents: RunningAgent[] = [];
  let trusting: Agent;

  beforeAll(async () => {
    certificates = makeTestCertificates();
    mesh = await testMesh();
    folder = mkdtempSync(join(tmpdir(), 'mesh-tls-credentials-'));
    database = createTestSqliteDatabase();
    const tls = {
      MCP_MESH_TLS_CERT: certificates.certFile,
      MCP_MESH_TLS_KEY: certificates.keyFile,
      MCP_MESH_TLS_CA: certificates.caFile,
    };
    registry = await startRegistryProcess({
      databaseUrl: database.url,
      env: { ...tls, MCP_MESH_TRUST_KEY: mesh.publicPem },
    });
    for (const definition of [clock, greeter]) {
      const name = definition.metadata.name;
      const credentialFile = join(folder, `${name}.json`);
      writeFileSync(credentialFile, JSON.stringify(await mesh.mint({ agents: [name] })));
      agents.push(
        await runAgent(
          definition,
          testConfig(definition, registry.url, {
            tls: {
              certFile: certificates.certFile,
              keyFile: certificates.keyFile,
              caFile: certificates.caFile,
            },
            trust: { credentialFile },
          }),
        ),
      );
    }
    trusting = new Agent({ connect: { ca: certificates.ca } });
  });
  afterAll(async () => {
    try {
      for (const agent of agents.reverse()) await agent.stop();
      await trusting?.close();
      await registry?.stop();
    } finally {
      await database?.drop();
      certificates?.remove();
      if (folder) rmSync(folder, { recursive: true, force: true });
    }
  });

  it('greets with the clock’s date over HTTPS between agents', async () => {
    expect(registry.url.startsWith('https://')).toBe(true);
    const [, greeterAgent] = agents;
    expect(greeterAgent!.url.startsWith('https://')).toBe(true);
    const client = new Client({ name: 'tls-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', greeterAgent!.url), {
        fetch: ((input: string | URL, init?: RequestInit) =>
          undiciFetch(input, { ...(init as object), dispatcher: trusting })) as never,
      }),
    );
    try {
      const greeting = await eventually(
        'a greeting with a date',
        async () => {
          const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
          const value = result.structuredContent as { message: string; date?: string };
          return value.date === undefined ? undefined : value;
        },
        10_000,
        100,
      );
      expect(greeting.message).toBe(`Hello, Ada! Today is ${greeting.date}.`);
    } finally {
      await client.close();
    }
  });

  it('refuses clients that do not trust the CA, and gives plain HTTP no answer', async () => {
    const [clockAgent] = agents;
    const untrusted = await fetch(`${clockAgent!.url}/livez`).catch((error: Error) => error);
    expect(untrusted).toBeInstanceOf(Error);
    expect(String((untrusted as Error).cause)).toMatch(/certificate|self.signed|issuer/i);
    const trusted = await undiciFetch(`${clockAgent!.url}/livez`, { dispatcher: trusting });
    expect(trusted.status).toBe(200);
    const plain = await fetch(`${clockAgent!.url.replace('https://', 'http://')}/livez`).catch(
      (error: Error) => error,
    );
    expect(plain instanceof Error || plain.status === 400).toBe(true);
  });

  it('meshctl lists the agents over HTTPS with MCP_MESH_TLS_CA, and refuses without it', async () => {
    const refused = await run(
      process.execPath,
      ['cli/bin.js', 'list', '--registry-url', registry.url],
      {
        cwd: repositoryRoot,
        env: { ...process.env, MCP_MESH_TLS_CA: '' },
      },
    ).catch((error: { code?: number; stderr?: string }) => error);
    expect((refused as { code?: number }).code).toBe(1);
    expect((refused as { stderr?: string }).stderr).toMatch(/certificate/i);
    const listed = await run(
      process.execPath,
      ['cli/bin.js', 'list', '--registry-url', registry.url, '--json'],
      {
        cwd: repositoryRoot,
        env: { ...process.env, MCP_MESH_TLS_CA: certificates.caFile },
      },
    );
    const names = (JSON.parse(listed.stdout) as { agents: { name: string }[] }).agents
      .map((agent) => agent.name)
      .sort();
    expect(names).toEqual(['clock', 'greeter']);
  });
});
