/**
 * `meshctl init` writes a Dockerfile for the project's agents: a build stage that compiles with
 * the project's own `npm run build`, a slim final image as user 1000 whose entry point is the
 * runtime's `mcp-mesh-agent` and whose CMD is the first agent's compiled module (where tsc puts
 * it), a HEALTHCHECK on /ready that passes against a serving agent and fails without one, and a
 * .dockerignore leaving out installs and builds. Not run here: `docker build` (no engine).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentCommand } from '../../../cli/processes/spawn.js';
import { createProject } from '../../../cli/scaffolding/new-project.js';
import { runToEnd, startContainerProcess } from '../../deploy/support/container-process.js';
import { parseDockerfile } from '../../deploy/support/dockerfile.js';
import { dockerIgnore } from '../../deploy/support/dockerignore.js';
import { freePort } from '../support/free-port.js';
import { repositoryRoot } from '../support/registry-process.js';

const root = mkdtempSync(join(tmpdir(), 'mesh-init-docker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('meshctl init: the Dockerfile', { timeout: 60_000 }, () => {
  it('runs the first agent’s compiled module with the runtime’s entry point, as user 1000 on a slim image', async () => {
    const directory = join(root, 'weather-app');
    const result = await createProject(
      directory,
      { name: 'forecaster', tool: 'forecast', port: 0, dependsOn: [] },
      '0.2.0',
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.written).toEqual(
      expect.arrayContaining([join(directory, 'Dockerfile'), join(directory, '.dockerignore')]),
    );
    const dockerfile = parseDockerfile(readFileSync(join(directory, 'Dockerfile'), 'utf8'));
    const [build, final] = dockerfile.stages;
    expect(build!.base).toBe('node:20-bookworm');
    expect(
      build!.instructions.flatMap((each) => (each.kind === 'RUN' ? [each.command] : [])),
    ).toEqual([
      'npm ci --no-audit --no-fund',
      'npm run build && npm prune --omit=dev --no-audit --no-fund',
    ]);
    expect(final!.base).toBe('node:20-bookworm-slim');
    const last = <K extends string>(kind: K) =>
      final!.instructions.filter((each) => each.kind === kind).at(-1);
    expect(last('USER')).toMatchObject({ user: '1000:1000' });
    expect(last('ENTRYPOINT')).toMatchObject({
      command: { exec: ['node', 'node_modules/@mcp-mesh/runtime/dist/agent-main.js'] },
    });
    // The runtime's own bin, as the project's install lays it out.
    const runtime = JSON.parse(readFileSync(join(repositoryRoot, 'runtime/package.json'), 'utf8'));
    expect(
      `node_modules/@mcp-mesh/runtime/${runtime.bin['mcp-mesh-agent'].replace(/^\.\//, '')}`,
    ).toBe('node_modules/@mcp-mesh/runtime/dist/agent-main.js');
    // tsc (rootDir ".", outDir dist) compiles handlers/forecaster.ts to the module CMD names.
    expect(last('CMD')).toMatchObject({ command: { exec: ['dist/handlers/forecaster.js'] } });
    expect(existsSync(join(directory, 'handlers/forecaster.ts'))).toBe(true);
    const tsconfig = JSON.parse(readFileSync(join(directory, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(tsconfig.include).toContain('handlers');

    const ignored = dockerIgnore(readFileSync(join(directory, '.dockerignore'), 'utf8'));
    for (const path of [
      'node_modules/x/index.js',
      'dist/handlers/forecaster.js',
      '.mesh-state/registry.db',
    ])
      expect(ignored(path), path).toBe(true);
    for (const path of [
      'package.json',
      'handlers/forecaster.ts',
      'generated/agents/forecaster.ts',
      'mesh.yaml',
    ])
      expect(ignored(path), path).toBe(false);
  });

  it('its HEALTHCHECK passes against a serving agent and fails without one', async () => {
    const directory = join(root, 'probe-app');
    await createProject(directory, { name: 'clock', tool: 'now', port: 0, dependsOn: [] }, '0.2.0');
    const dockerfile = parseDockerfile(readFileSync(join(directory, 'Dockerfile'), 'utf8'));
    const healthcheck = dockerfile.stages[1]!.instructions.find(
      (each) => each.kind === 'HEALTHCHECK',
    );
    const argv = healthcheck?.kind === 'HEALTHCHECK' ? healthcheck.command.exec! : [];
    expect(argv[0]).toBe('node');
    const probe = (port: number) =>
      runToEnd({
        argv: [process.execPath, ...argv.slice(1)],
        cwd: directory,
        env: { PATH: process.env.PATH ?? '', MCP_MESH_HTTP_PORT: String(port) },
        timeoutMs: 10_000,
      });

    const port = await freePort();
    expect((await probe(port)).code).toBe(1);
    const [executable, ...args] = agentCommand(
      resolve(repositoryRoot, 'examples/greeting/handlers/clock.ts'),
    );
    const agent = startContainerProcess({
      name: 'clock',
      argv: [executable!, ...args],
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        MCP_MESH_HTTP_PORT: String(port),
        MCP_MESH_REGISTRY_URL: 'off',
        REDIS_URL: 'off',
      },
    });
    try {
      const deadline = Date.now() + 30_000;
      let code: number | null = 1;
      while (Date.now() < deadline && code !== 0 && !agent.exit) {
        code = (await probe(port)).code;
        if (code !== 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(code, agent.logs()).toBe(0);
    } finally {
      await agent.stop(5_000);
    }
  });
});
