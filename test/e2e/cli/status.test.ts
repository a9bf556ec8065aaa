/**
 * meshctl's registry views against a real registry process: `meshctl status` explains a
 * dependency (candidates, rejections) as it resolves now, as providers join and leave even when
 * the chosen one never changes; tables are coloured by FORCE_COLOR and never with NO_COLOR.
 */
import { describe, expect, it } from 'vitest';
import {
  agentBody,
  dependency,
  type RegistryClient,
  tool,
  unique,
} from '../support/registry-client.js';
import { backends, useRegistry } from '../support/registry-fixture.js';
import { meshctl, type Run } from './support/mesh.js';

interface StatusJson {
  tools: {
    function_name: string;
    dependencies: {
      provider: { agent_id: string } | null;
      decision: {
        chosen: string;
        candidates: { provider: string; version?: string }[];
        rejected: { agent_id: string; function_name: string; reason: string }[];
      } | null;
    }[];
  }[];
}

const sqlite = backends.find((backend) => backend.name === 'sqlite')!;

describe.sequential('meshctl status and list against a registry', () => {
  const fixture = useRegistry(sqlite);

  const status = (...args: string[]): Promise<Run> =>
    meshctl(['status', ...args], { MCP_MESH_REGISTRY_URL: fixture.registry.url });

  const provider = (client: RegistryClient, id: string, capability: string, version: string) =>
    client.register(agentBody(id, [tool('serve', capability, { version })]));

  it('lists candidates and rejections that joined or left while the chosen provider stayed', async () => {
    const { client } = fixture;
    const capability = unique('ledger');
    const best = unique('best');
    const second = unique('second');
    const old = unique('old');
    const consumerId = unique('consumer');
    const consumer = agentBody(consumerId, [
      tool('book', unique('booking'), {
        dependencies: [dependency(capability, { version: '>=1.0.0' })],
      }),
    ]);
    await provider(client, best, capability, '2.0.0');
    await client.register(consumer);

    // Two more providers join: one acceptable but ranked lower, one too old. The choice stays.
    await provider(client, second, capability, '1.5.0');
    await provider(client, old, capability, '0.9.0');
    // What the consumer does when its HEAD answers 202.
    await client.register(consumer);

    const joined = await status(consumerId, '--json');
    expect(joined.code, joined.stderr).toBe(0);
    const decision = (JSON.parse(joined.stdout) as StatusJson).tools[0]?.dependencies[0]?.decision;
    expect(decision?.chosen).toBe(`${best}.serve`);
    expect(decision?.candidates.map((candidate) => candidate.provider)).toEqual([
      `${best}.serve`,
      `${second}.serve`,
    ]);
    expect(decision?.rejected).toEqual([
      {
        agent_id: old,
        function_name: 'serve',
        reason: 'version 0.9.0 does not satisfy >=1.0.0',
      },
    ]);
    const table = await status(consumerId);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(
      `2 candidates, best first: ${best}.serve 2.0.0 (score 0), ${second}.serve 1.5.0 (score 0)`,
    );
    expect(table.stdout).toContain(`rejected ${old}.serve: version 0.9.0 does not satisfy >=1.0.0`);

    // The lower-ranked candidate and the rejected one leave; the choice still stays.
    expect((await client.unregister(second)).status).toBe(204);
    expect((await client.unregister(old)).status).toBe(204);
    await client.register(consumer);

    const left = await status(consumerId);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).toContain(`1 candidate, best first: ${best}.serve 2.0.0 (score 0)`);
    expect(left.stdout).not.toContain(second);
    expect(left.stdout).not.toContain(old);
  });

  it('colours piped tables with FORCE_COLOR, never with NO_COLOR', async () => {
    const id = unique('painted');
    await fixture.client.register(agentBody(id, [tool('serve', unique('paint'))]));
    const env = (colour: Record<string, string>) => ({
      MCP_MESH_REGISTRY_URL: fixture.registry.url,
      NO_COLOR: '',
      ...colour,
    });
    const green = '\u001b[32mhealthy\u001b[39m';
    for (const command of [['list'], ['status', id]]) {
      const [forced, refused, plain] = await Promise.all([
        meshctl(command, env({ FORCE_COLOR: '1' })),
        meshctl(command, env({ FORCE_COLOR: '1', NO_COLOR: '1' })),
        meshctl(command, env({ FORCE_COLOR: '0' })),
      ]);
      for (const run of [forced, refused, plain]) expect(run.code, run.stderr).toBe(0);
      expect(forced.stdout, command.join(' ')).toContain(green);
      expect(refused.stdout).not.toContain('\u001b[');
      expect(plain.stdout).not.toContain('\u001b[');
      expect(refused.stdout).toContain('healthy');
    }
  });

  it('the registry answers 404 for the dependencies of an unknown agent', async () => {
    const answer = await fixture.client.get(`/agents/${unique('nobody')}/dependencies`);
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: 'not_found' });
  });
});
