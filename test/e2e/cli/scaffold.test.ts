import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCommand } from '../../../cli/processes/spawn.js';
import { mcpClient, until } from '../../../examples/support/local-mesh.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;

async function meshctl(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'cli/bin.js'), ...args], {
      cwd,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Inside the repository, so that the generated code's `@mcp-mesh/runtime` resolves as it does in
// a project that installed the package.
describe('meshctl scaffold', () => {
  let directory: string;
  let agent: ChildProcess | undefined;

  beforeAll(() => {
    directory = mkdtempSync(join(root, '.tmp-scaffold-'));
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await once(agent, 'exit');
    }
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates a spec, typed code and a working handler; the agent runs and answers', async () => {
    const result = await meshctl(directory, 'scaffold', 'weather', '--tool', 'get_weather');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('added agent weather to mesh.yaml');
    expect(readFileSync(join(directory, 'mesh.yaml'), 'utf8')).toContain('  - name: weather\n');

    writeFileSync(
      join(directory, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', include: ['**/*.ts'] }),
    );
    const compiled = await run(process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '-p',
      directory,
    ]).then(
      () => 'ok',
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe('ok');

    const [node, ...args] = agentCommand(join(directory, 'handlers/weather.ts'));
    agent = spawn(node as string, args, {
      cwd: root,
      env: {
        ...process.env,
        MCP_MESH_REGISTRY_URL: 'off',
        MCP_MESH_HTTP_PORT: '0',
        MCP_MESH_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    agent.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await until(
      'the agent to serve',
      async () => /"url":"(http:[^"]+)"/.exec(output)?.[1],
    );
    const client = await mcpClient(url);
    try {
      const answer = await client.callTool({ name: 'get_weather', arguments: { name: 'Ada' } });
      expect(answer.structuredContent).toEqual({ message: 'Hello, Ada, from weather!' });
    } finally {
      await client.close();
    }
  }, 90_000);

  it('adds a second agent to the same spec and leaves the first one alone', async () => {
    const before = readFileSync(join(directory, 'handlers/weather.ts'), 'utf8');
    const result = await meshctl(
      directory,
      'scaffold',
      'clock',
      '--tool',
      'now',
      '--capability',
      'date_service',
    );
    expect(result.code).toBe(0);
    const spec = readFileSync(join(directory, 'mesh.yaml'), 'utf8');
    expect(spec).toContain('  - name: weather\n');
    expect(spec).toContain('  - name: clock\n');
    expect(spec).toContain('capability: date_service');
    expect(readFileSync(join(directory, 'handlers/weather.ts'), 'utf8')).toBe(before);
  }, 60_000);

  it('refuses a name already taken (exit 1) or malformed (exit 2), changing nothing', async () => {
    const spec = readFileSync(join(directory, 'mesh.yaml'), 'utf8');
    const taken = await meshctl(directory, 'scaffold', 'weather');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(
      'agent "weather" is already declared in mesh.yaml; pick another name',
    );
    const malformed = await meshctl(directory, 'scaffold', '9lives');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('agent name "9lives" must match');
    expect(readFileSync(join(directory, 'mesh.yaml'), 'utf8')).toBe(spec);
  }, 60_000);
});
