/**
 * meshctl's read and call commands against a real registry process and real agents (the
 * greeting example's clock and greeter, and a test worker), with meshctl run as a process.
 * The tests run in order: the last ones stop agents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCommand } from '../../../cli/processes/spawn.js';
import type { AgentInfo } from '../../../cli/registry/registry-types.js';
import {
  crash,
  freePort,
  meshctl,
  type Run,
  repositoryRoot,
  type Started,
  stackTraceLine,
  startProcess,
  stop,
  stopAll,
  waitFor,
} from './support/mesh.js';

const datePattern = /\d{4}-\d{2}-\d{2}/;
const unhealthyAfterSeconds = 4;

let directory: string | undefined;
let registryUrl = '';
let registry: Started | undefined;
const agents = new Map<string, Started>();
/** Agent id by name, once registered. */
const ids = new Map<string, string>();

async function agentList(): Promise<AgentInfo[]> {
  const response = await fetch(`${registryUrl}/agents`);
  return ((await response.json()) as { agents: AgentInfo[] }).agents;
}

function run(...args: string[]): Promise<Run> {
  return meshctl(args, { MCP_MESH_REGISTRY_URL: registryUrl });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A failure meshctl explained: exit 1, a message, no stack trace. */
function expectExplainedFailure(result: Run, message: RegExp | string): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(stackTraceLine);
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'meshctl-e2e-'));
  const port = await freePort();
  registryUrl = `http://127.0.0.1:${port}`;
  registry = startProcess('registry', [process.execPath, 'registry/bin.js'], {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: `file:${join(directory, 'registry.db')}`,
    MCP_MESH_LOG_LEVEL: 'warn',
    DEFAULT_TIMEOUT_THRESHOLD: String(unhealthyAfterSeconds),
    HEALTH_CHECK_INTERVAL: '0.5',
  });
  await waitFor(
    async () => ((await fetch(`${registryUrl}/health`)).status === 200 ? true : undefined),
    30_000,
    () => `registry never became healthy:\n${registry?.output()}`,
  );
  const modules = {
    clock: 'examples/greeting/handlers/clock.ts',
    greeter: 'examples/greeting/handlers/greeter.ts',
    worker: 'test/e2e/cli/fixtures/worker.ts',
  };
  for (const [name, module] of Object.entries(modules)) {
    agents.set(
      name,
      startProcess(name, agentCommand(join(repositoryRoot, module)), {
        MCP_MESH_REGISTRY_URL: registryUrl,
        MCP_MESH_HTTP_HOST: '127.0.0.1',
        MCP_MESH_HTTP_PORT: '0',
        MCP_MESH_HEALTH_INTERVAL: '0.5',
        MCP_MESH_LOG_LEVEL: 'warn',
      }),
    );
  }
  // Ready: all three registered and healthy, and the greeter wired to the clock.
  const registered = await waitFor(
    async () => {
      const list = await agentList();
      const healthy = list.filter((agent) => agent.status === 'healthy');
      const greeter = healthy.find((agent) => agent.name === 'greeter');
      return healthy.length === 3 && greeter?.dependencies_resolved === 1 ? list : undefined;
    },
    45_000,
    () =>
      `agents did not register:\n${[...agents.values()].map((agent) => `${agent.name}: ${agent.output()}`).join('\n')}`,
  );
  for (const agent of registered) ids.set(agent.name, agent.id);
}, 60_000);

afterAll(async () => {
  try {
    await stopAll();
  } finally {
    if (directory) rmSync(directory, { recursive: true, force: true });
  }
}, 30_000);

describe.sequential('meshctl against a running mesh', () => {
  it('list: a table of the agents, --json, --tools', async () => {
    const [table, json, tools] = await Promise.all([
      run('list'),
      run('list', '--json'),
      run('list', '--tools'),
    ]);
    expect(table.code, table.stderr).toBe(0);
    const [header = '', ...rows] = lines(table.stdout);
    expect(header).toMatch(
      /^NAME\s+ID\s+STATUS\s+DEPS\s+CAPABILITIES\s+ENDPOINT\s+AGE\s+LAST SEEN$/,
    );
    expect(rows).toHaveLength(3);
    for (const name of ['clock', 'greeter', 'worker']) {
      const row = rows.find((line) => line.startsWith(`${name} `)) ?? '';
      expect(row).toContain(ids.get(name));
      // Aligned: every column starts where its heading does.
      expect(row.indexOf('healthy')).toBe(header.indexOf('STATUS'));
      expect(row.indexOf('http://127.0.0.1:')).toBe(header.indexOf('ENDPOINT'));
    }
    expect(rows.find((line) => line.startsWith('greeter '))).toMatch(/ 1\/1 +greeting /);
    expect(table.stdout).not.toContain('\u001b[');

    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { agents: AgentInfo[]; count: number };
    expect(parsed.count).toBe(3);
    expect(parsed.agents.map((agent) => agent.name).sort()).toEqual(['clock', 'greeter', 'worker']);

    expect(tools.code, tools.stderr).toBe(0);
    const toolLines = lines(tools.stdout);
    expect(toolLines.find((line) => /^\s+greet\s/.test(line))).toMatch(
      /greeting@1\.0\.0 \[demo\]\s+deps 1\/1\s+available$/,
    );
    expect(toolLines.find((line) => /^\s+get_current_date\s/.test(line))).toMatch(
      /date_service@1\.0\.0 \[system\]\s+available$/,
    );
    expect(toolLines.find((line) => /^\s+audit\s/.test(line))).toMatch(
      /auditing@1\.0\.0\s+deps 0\/1\s+unavailable: .+/,
    );
    expect(toolLines).toHaveLength(1 + 3 + 5);
  });

  it('status: every dependency, the provider it resolved to, and why', async () => {
    const [greeter, worker, json] = await Promise.all([
      run('status', 'greeter'),
      run('status', 'work'),
      run('status', ids.get('greeter')!, '--json'),
    ]);
    expect(greeter.code, greeter.stderr).toBe(0);
    const clockId = ids.get('clock')!;
    expect(greeter.stdout).toContain(`greeter  ${ids.get('greeter')}  healthy`);
    expect(greeter.stdout).toMatch(/tool greet\s+greeting@1\.0\.0 \[demo\]\s+available/);
    expect(greeter.stdout).toContain('dependency 0: date_service >=1.0.0 [system]');
    expect(greeter.stdout).toMatch(
      new RegExp(`resolved\\s+${clockId} → get_current_date at http://127\\.0\\.0\\.1:\\d+`),
    );
    expect(greeter.stdout).toMatch(
      new RegExp(`why\\s+1 candidate, best first: ${clockId}\\.get_current_date 1\\.0\\.0`),
    );
    expect(greeter.stdout).toMatch(/decided\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z/);

    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stdout).toMatch(/tool audit\s+auditing@1\.0\.0\s+unavailable/);
    expect(worker.stdout).toContain('dependency 0: ledger >=2.0.0 [finance]');
    expect(worker.stdout).toMatch(/unresolved\s+no provider/);
    expect(worker.stdout).toContain('no agent offers ledger');
    expect(worker.stdout).toMatch(
      /tool count\s+counting@1\.2\.0 \[demo\]\s+available\n\s+no dependencies/,
    );

    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      agent: AgentInfo;
      tools: {
        function_name: string;
        dependencies: {
          capability: string;
          version: string;
          provider: { agent_id: string; tool: string } | null;
          decision: { candidates: { provider: string }[]; rejected: unknown[] } | null;
        }[];
      }[];
    };
    expect(report.agent.id).toBe(ids.get('greeter'));
    const dependency = report.tools[0]?.dependencies[0];
    expect(dependency).toMatchObject({
      capability: 'date_service',
      version: '>=1.0.0',
      provider: { agent_id: clockId, tool: 'get_current_date' },
    });
    expect(dependency?.decision?.candidates).toEqual([
      expect.objectContaining({ provider: `${clockId}.get_current_date` }),
    ]);
  });

  it('status: an ambiguous or unknown agent is a failure that lists what there is', async () => {
    const [ambiguous, unknown] = await Promise.all([run('status', '-'), run('status', 'nobody')]);
    expectExplainedFailure(ambiguous, /"-" matches 3 agents/);
    for (const id of ids.values()) expect(ambiguous.stderr).toContain(id);
    expectExplainedFailure(unknown, /no agent matches "nobody"/);
    expect(unknown.stdout).toBe('');
  });

  it('events: the audit trail, newest first, filtered by type and agent', async () => {
    const [all, registers, greeter] = await Promise.all([
      run('events'),
      run('events', '--type', 'register', '--json'),
      run('events', '--agent', 'greeter', '--limit', '2'),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const [header = '', ...rows] = lines(all.stdout);
    expect(header).toMatch(/^TIME\s+TYPE\s+AGENT\s+TOOL\s+DETAILS$/);
    for (const id of ids.values()) {
      expect(rows.some((row) => row.includes(' register ') && row.includes(id))).toBe(true);
    }
    expect(
      rows.some(
        (row) => row.includes('dependency_resolved') && row.includes(`→ ${ids.get('clock')}`),
      ),
    ).toBe(true);
    const times = rows.map((row) => row.slice(0, 20));
    expect([...times].sort().reverse()).toEqual(times);

    expect(registers.code, registers.stderr).toBe(0);
    const parsed = JSON.parse(registers.stdout) as {
      events: { event_type: string; agent_id: string }[];
      count: number;
    };
    expect(parsed.count).toBe(3);
    expect(new Set(parsed.events.map((event) => event.event_type))).toEqual(new Set(['register']));
    expect(new Set(parsed.events.map((event) => event.agent_id))).toEqual(new Set(ids.values()));

    expect(greeter.code, greeter.stderr).toBe(0);
    const greeterRows = lines(greeter.stdout).slice(1);
    expect(greeterRows).toHaveLength(2);
    for (const row of greeterRows) expect(row).toContain(ids.get('greeter'));
  });

  it('call: a tool through the registry proxy, by tool name or agent:tool', async () => {
    const [greet, date] = await Promise.all([
      run('call', 'greet', '{"name":"Ada"}'),
      run('call', 'clock:get_current_date', '--json'),
    ]);
    expect(greet.code, greet.stderr).toBe(0);
    expect(greet.stdout).toContain('Hello, Ada!');
    expect(greet.stdout).toMatch(new RegExp(`Today is ${datePattern.source}`));
    expect(JSON.parse(greet.stdout)).toEqual({
      message: expect.stringContaining('Hello, Ada!'),
      date: expect.stringMatching(datePattern),
    });

    // --json: the raw CallToolResult.
    expect(date.code, date.stderr).toBe(0);
    const result = JSON.parse(date.stdout) as {
      content: { type: string; text: string }[];
      structuredContent: { date: string };
    };
    expect(result.structuredContent).toEqual({ date: expect.stringMatching(datePattern) });
    expect(result.content[0]?.type).toBe('text');
  });

  it('call: directly with --agent-url, progress to stderr, tool errors, bad input', async () => {
    const greeter = (await agentList()).find((agent) => agent.name === 'greeter')!;
    const [direct, progress, failing, badJson, unknownTool, unknownOnAgent] = await Promise.all([
      run('call', '--agent-url', greeter.endpoint, 'greet', '{"name":"Bo"}'),
      run('call', 'worker:count', '{"n":3}'),
      run('call', 'fail'),
      run('call', 'greet', '{name: Ada}'),
      run('call', 'no_such_tool'),
      run('call', 'greeter:no_such_tool'),
    ]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toContain('Hello, Bo!');
    expect(direct.stdout).toMatch(datePattern);

    expect(progress.code, progress.stderr).toBe(0);
    expect(progress.stdout.trim()).toBe('counted to 3');
    expect(lines(progress.stderr)).toEqual([
      'progress 1/3: step 1',
      'progress 2/3: step 2',
      'progress 3/3: step 3',
    ]);

    expectExplainedFailure(failing, /worker:fail failed: .*the ledger is closed today/);
    expect(failing.stdout).toBe('');

    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/arguments are not valid JSON/);
    expect(badJson.stderr).not.toMatch(stackTraceLine);

    expectExplainedFailure(
      unknownTool,
      /no agent .* offers a tool or capability named "no_such_tool"/,
    );
    expectExplainedFailure(
      unknownOnAgent,
      /has no tool or capability "no_such_tool"; offered: greet/,
    );
  });

  it('call: an agent that crashed or stopped is a one-line error, never a stack trace', async () => {
    const clockId = ids.get('clock')!;
    await crash(agents.get('clock')!);
    // Still registered and healthy for a moment: the registry's relay cannot reach it.
    const unreachable = await run('call', 'clock:get_current_date');
    expectExplainedFailure(unreachable, new RegExp(`agent ${clockId} `));
    expect(lines(unreachable.stderr)).toHaveLength(1);

    await waitFor(
      async () =>
        (await agentList()).find((agent) => agent.id === clockId)?.status === 'unhealthy'
          ? true
          : undefined,
      unhealthyAfterSeconds * 1000 + 10_000,
      () => 'the clock never became unhealthy',
    );
    const [unhealthy, list, all, status, events] = await Promise.all([
      run('call', 'clock:get_current_date'),
      run('list'),
      run('list', '--all'),
      run('status', 'greeter'),
      run('events', '--type', 'unhealthy'),
    ]);
    expectExplainedFailure(unhealthy, `agent ${clockId} offers get_current_date but is unhealthy`);
    expect(lines(unhealthy.stderr)).toHaveLength(1);
    expect(list.stdout).not.toContain(clockId);
    expect(list.stdout).toContain('(1 unhealthy agent not shown; meshctl list --all shows it)');
    expect(all.stdout).toMatch(new RegExp(`^clock\\s+${clockId}\\s+unhealthy\\s`, 'm'));
    expect(status.stdout).toMatch(/unresolved\s+no provider/);
    expect(status.stdout).toContain(
      `not considered ${clockId}.get_current_date: agent is unhealthy`,
    );
    expect(events.stdout).toContain(clockId);

    // A graceful stop unregisters: the agent is gone from the registry.
    await stop(agents.get('worker')!);
    const gone = await run('call', 'worker:count', '{"n":1}');
    expectExplainedFailure(gone, /no agent matches "worker"/);
    expect(lines(gone.stderr)).toHaveLength(1);
  }, 40_000);

  it('every command says how to get a registry when none answers', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const message = `registry unreachable at ${closed} — start one with \`meshctl registry start\` (or \`meshctl start\`), or set MCP_MESH_REGISTRY_URL / --registry-url`;
    const results = await Promise.all([
      meshctl(['list', '--registry-url', closed]),
      meshctl(['call', 'greet', '{"name":"Ada"}'], { MCP_MESH_REGISTRY_URL: closed }),
    ]);
    for (const result of results) {
      expectExplainedFailure(result, message);
      expect(result.stderr.trim()).toBe(`meshctl: ${message}`);
    }
  });
});
