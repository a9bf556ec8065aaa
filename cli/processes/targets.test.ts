import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { isEntryPath, resolveTargets, selectAgents } from './targets.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'mesh-targets-'));
  folders.push(folder);
  return folder;
}

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const greeting = join(packageRoot, 'examples', 'greeting');

describe('resolveTargets', () => {
  it('runs each agent of a spec from <spec dir>/handlers/<agent>.ts', async () => {
    const resolved = await resolveTargets(['examples/greeting'], packageRoot);
    expect(resolved.specErrors).toBe(false);
    expect(resolved.problems).toEqual([]);
    expect(resolved.agents.map((agent) => [agent.name, agent.module])).toEqual([
      ['greeter', join(greeting, 'handlers', 'greeter.ts')],
      ['clock', join(greeting, 'handlers', 'clock.ts')],
    ]);
    expect(resolved.agents[0]?.watch).toEqual([
      { path: join(greeting, 'mesh.yaml'), recursive: false },
      { path: join(greeting, 'handlers', 'greeter.ts'), recursive: false },
      { path: join(greeting, 'generated'), recursive: true },
    ]);
  });

  it('answers the plain MCP servers of a spec beside its agents', async () => {
    const folder = scratch();
    writeFileSync(
      join(folder, 'mesh.yaml'),
      'agents: []\nservers:\n  - name: thermo\n    url: http://127.0.0.1:9100/mcp\n    discover: true\n',
    );
    const resolved = await resolveTargets([folder], folder);
    expect(resolved.problems).toEqual([]);
    expect(resolved.agents).toEqual([]);
    expect(resolved.servers).toEqual([
      {
        name: 'thermo',
        url: 'http://127.0.0.1:9100/mcp',
        version: '1.0.0',
        namespace: 'default',
        tools: [],
        discover: true,
      },
    ]);
  });

  it('runs an entry module as is, named after its file', async () => {
    const resolved = await resolveTargets(['examples/greeting/handlers/clock.ts'], packageRoot);
    expect(resolved.problems).toEqual([]);
    expect(resolved.agents).toHaveLength(1);
    expect(resolved.agents[0]?.name).toBe('clock');
    expect(resolved.agents[0]?.spec).toBeUndefined();
    expect(resolved.agents[0]?.watch).toContainEqual({
      path: join(greeting, 'generated'),
      recursive: true,
    });
  });

  it('says how to scaffold a missing handler file', async () => {
    const folder = scratch();
    cpSync(join(greeting, 'mesh.yaml'), join(folder, 'mesh.yaml'));
    const resolved = await resolveTargets(['.'], folder);
    expect(resolved.agents).toEqual([]);
    expect(resolved.problems).toEqual([
      'no handler file handlers/greeter.ts for agent greeter — run `meshctl generate .` to scaffold it',
      'no handler file handlers/clock.ts for agent clock — run `meshctl generate .` to scaffold it',
    ]);
  });

  it('reports spec errors as diagnostics with their location', async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'mesh.yaml'), 'mesh: 1\nagents:\n  - name: a\n    version: one\n');
    const resolved = await resolveTargets(['mesh.yaml'], folder);
    expect(resolved.specErrors).toBe(true);
    expect(resolved.diagnostics[0]).toMatchObject({ file: 'mesh.yaml', severity: 'error' });
    expect(resolved.diagnostics[0]?.line).toBeGreaterThan(1);
  });

  it('refuses an entry file that does not exist, and two agents of one name', async () => {
    expect((await resolveTargets(['nope/agent.ts'], packageRoot)).problems[0]).toMatch(
      /^no such file nope\/agent\.ts/,
    );
    const twice = await resolveTargets(
      ['examples/greeting', 'examples/greeting/handlers/clock.ts'],
      packageRoot,
    );
    expect(twice.problems).toEqual([
      'two agents are named clock (examples/greeting/handlers/clock.ts and examples/greeting/handlers/clock.ts); start them separately',
    ]);
  });

  it('tells entry modules from specs by their extension', async () => {
    expect(isEntryPath('a/b.ts')).toBe(true);
    expect(isEntryPath('a/b.mjs')).toBe(true);
    expect(isEntryPath('a/mesh.yaml')).toBe(false);
    expect(isEntryPath('examples/greeting')).toBe(false);
  });
});

const { agents } = await resolveTargets(['examples/greeting'], packageRoot);

describe('selectAgents', () => {
  it('keeps every agent without names, and only the named ones with', async () => {
    expect(selectAgents(agents, []).map((agent) => agent.name)).toEqual(['greeter', 'clock']);
    expect(selectAgents(agents, ['clock']).map((agent) => agent.name)).toEqual(['clock']);
  });

  it('names the agents there are when asked for one that is not', async () => {
    expect(() => selectAgents(agents, ['clok'])).toThrow(UsageError);
    expect(() => selectAgents(agents, ['clok'])).toThrow(
      'no agent named clok in the given paths (agents: greeter, clock)',
    );
  });
});
