// Caller identity between real agents (in process, real HTTP, a real registry with trust on):
// every agent registers with its credential; a call to an auth_required tool carries a caller
// token for the provider's capability and succeeds; allowed_callers refuses other agents; a
// request with no token, an expired one or one made for another capability is answered 401 with
// the documented reason.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSqliteDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import type { CapabilityProxy } from '../../../runtime/agent/proxy.js';
import { MeshError } from '../../../runtime/errors/mesh-error.js';
import type { RunningAgent } from '../../../runtime/run-agent.js';
import { CallerTokenIssuer } from '../../../runtime/trust/caller-tokens.js';
import type { CredentialFile } from '../../../runtime/trust/credential.js';
import { type TestMesh, testMesh } from '../../../runtime/trust/trust.fixture.js';
import { consumer, faultyProvider } from '../runtime/support/agents.js';
import type { Cleanup } from '../runtime/support/cleanup.js';
import { eventually, startInProcessAgent } from '../runtime/support/mesh.js';
import { RegistryClient, unique } from '../support/registry-client.js';
import { startRegistryProcess } from '../support/registry-process.js';

type AnyProxy = CapabilityProxy<Record<string, unknown>, Record<string, unknown>>;

describe('caller identity', () => {
  // One mesh for every case: stopped after the last one, whatever happened.
  const stops: (() => unknown)[] = [];
  const cleanup: Cleanup = {
    defer(value, task) {
      stops.push(() => task(value));
      return value;
    },
  };
  const folder = mkdtempSync(join(tmpdir(), 'mesh-trust-'));
  const secret = unique('secret');
  const open = unique('open-secret');
  let mesh: TestMesh;
  let database: TestDatabase;
  let registryUrl: string;
  let stopRegistry: () => Promise<unknown>;
  let provider: RunningAgent;
  let teller: RunningAgent;
  let stranger: RunningAgent;

  const credentialFile = async (name: string, tags: string[] = []): Promise<string> => {
    const path = join(folder, `${name}.json`);
    writeFileSync(
      path,
      JSON.stringify(await mesh.mint({ agents: [name], ...(tags.length ? { tags } : {}) })),
    );
    return path;
  };
  const trustFor = async (name: string) => ({
    trust: {
      trustKey: mesh.publicPem,
      credentialFile: await credentialFile(name),
      callerTokenTtlSeconds: 60,
    },
  });
  const proxyOf = (agent: RunningAgent, parameter: string) =>
    eventually(`${agent.agentId} wired to ${parameter}`, async () => {
      const dependencies = await agent.wiring.dependencies('use', AbortSignal.timeout(1_000));
      return dependencies[parameter] as AnyProxy | undefined;
    });
  const post = (body: unknown, authorization?: string) =>
    fetch(`${provider.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: JSON.stringify(body),
    });
  const callSecret = {
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'guarded', arguments: {} },
  };

  beforeAll(async () => {
    mesh = await testMesh();
    database = createTestSqliteDatabase();
    const registry = await startRegistryProcess({
      databaseUrl: database.url,
      env: {
        MCP_MESH_TRUST_KEY: mesh.publicPem,
        DEFAULT_TIMEOUT_THRESHOLD: '2',
        HEALTH_CHECK_INTERVAL: '0.2',
      },
    });
    registryUrl = registry.url;
    stopRegistry = () => registry.stop();
  });
  afterAll(async () => {
    try {
      for (const stop of stops.reverse()) await stop();
      await stopRegistry?.();
    } finally {
      await database?.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lets a permitted caller through with its token, refuses others and token-less calls', async () => {
    const vault = faultyProvider(
      'vault',
      { guarded: secret, echo: open },
      {
        guarded: { allowed_callers: { agents: ['teller'] } },
        echo: { auth_required: true },
      },
    );
    provider = await startInProcessAgent(
      cleanup,
      vault.definition,
      registryUrl,
      await trustFor('vault'),
    );
    teller = await startInProcessAgent(
      cleanup,
      consumer('teller', [secret, open]),
      registryUrl,
      await trustFor('teller'),
    );
    stranger = await startInProcessAgent(
      cleanup,
      consumer('stranger', [secret, open]),
      registryUrl,
      await trustFor('stranger'),
    );

    // All three registered through the trusted registry with their credentials.
    const ids = [provider.agentId, teller.agentId, stranger.agentId];
    await eventually('every agent registered', async () => {
      const listed = (await new RegistryClient(registryUrl).agents()).map((agent) => agent.id);
      return ids.every((id) => listed.includes(id));
    });

    expect(await (await proxyOf(teller, secret)).call({ value: 'gold' })).toMatchObject({
      value: 'gold',
      agent: 'vault',
    });
    // A tool with no allowed_callers takes any caller of the mesh.
    expect(await (await proxyOf(stranger, open)).call({ value: 'x' })).toMatchObject({
      value: 'x',
    });
    const refused = await (await proxyOf(stranger, secret))
      .call({ value: 'gold' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MeshError);
    expect((refused as MeshError).code).toBe('unauthorized');
    expect(vault.log.calls.guarded).toBe(1);

    const none = await post(callSecret);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({
      id: 7,
      error: { code: -32000, data: { reason: 'missing_credential' } },
    });
  });

  it('refuses an expired token and one made for another capability', async () => {
    const file = JSON.parse(readFileSync(join(folder, 'teller.json'), 'utf8')) as CredentialFile;
    const issuer = new CallerTokenIssuer(
      file,
      { agentId: 'teller-x', name: 'teller', namespace: 'default' },
      { ttlSeconds: 10, renewBeforeSeconds: 1 },
    );
    const expired = await issuer.tokenFor(secret, Date.now() - 120_000);
    const expiredAnswer = await post(callSecret, `Bearer ${expired}`);
    expect(expiredAnswer.status).toBe(401);
    expect(await expiredAnswer.json()).toMatchObject({ error: { data: { reason: 'expired' } } });
    const elsewhere = await issuer.tokenFor('some-other-capability');
    const elsewhereAnswer = await post(callSecret, `Bearer ${elsewhere}`);
    expect(elsewhereAnswer.status).toBe(401);
    expect(await elsewhereAnswer.json()).toMatchObject({
      error: { data: { reason: 'wrong_audience' } },
    });
  });
});
