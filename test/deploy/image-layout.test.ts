/**
 * deploy/Dockerfile checked without a Docker engine: what can be read is read (stages, users,
 * exec forms, HEALTHCHECKs), and each final image's file layout is reproduced in a temporary
 * folder (support/image-layout.ts: every COPY source must exist, dependency stages run their
 * `npm ci` for real), then its entry point is run from there with the image's ENV, and probed
 * with the image's own HEALTHCHECK. Not run here: a real `docker build` (no engine on these
 * machines), hence the base images' own contents (node:20-bookworm-slim).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/free-port.js';
import { makeTestCertificates } from '../e2e/support/test-certificates.js';
import {
  type ContainerProcess,
  runToEnd,
  startContainerProcess,
} from './support/container-process.js';
import {
  type ImageLayout,
  ignoredByDocker,
  listFiles,
  readDockerfile,
  reproduceImage,
} from './support/image-layout.js';

const finalTargets = ['registry', 'agent-base', 'examples'] as const;

const started: ContainerProcess[] = [];
const layouts: ImageLayout[] = [];
afterAll(async () => {
  await Promise.all(started.map((process) => process.stop(2_000)));
  for (const layout of layouts) layout.remove();
});

async function layoutOf(target: string): Promise<ImageLayout> {
  const layout = await reproduceImage(target);
  layouts.push(layout);
  return layout;
}

function start(
  layout: ImageLayout,
  name: string,
  override: { args?: string[] },
  env: Record<string, string>,
) {
  const command = layout.command(override);
  const process = startContainerProcess({
    name,
    argv: command.argv,
    cwd: command.cwd,
    env: { ...command.env, ...env },
  });
  started.push(process);
  return { process, env: { ...command.env, ...env } };
}

/** Runs the image's HEALTHCHECK in `env` (the container's); answers its exit code. */
async function healthcheck(
  layout: ImageLayout,
  env: Record<string, string>,
): Promise<number | null> {
  const { code } = await runToEnd({
    argv: layout.exec(layout.healthcheck!.argv),
    cwd: layout.hostPath(layout.workdir),
    env,
    timeoutMs: 10_000,
  });
  return code;
}

/** Polls the HEALTHCHECK as Docker does until it passes; fails with the logs if the process ends. */
async function healthy(
  layout: ImageLayout,
  process: ContainerProcess,
  env: Record<string, string>,
) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (process.exit)
      throw new Error(
        `${process.name} exited (${JSON.stringify(process.exit)}):\n${process.logs()}`,
      );
    if ((await healthcheck(layout, env)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${process.name} never passed its HEALTHCHECK:\n${process.logs()}`);
}

/** Compiled sources in the layout outside node_modules (declarations and maps aside). */
function typescriptSources(layout: ImageLayout): string[] {
  return listFiles(layout.hostPath('/opt/mcp-mesh')).filter(
    (file) =>
      !file.includes('node_modules/') && /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file),
  );
}

describe('deploy/Dockerfile', { timeout: 120_000 }, () => {
  it('builds every final image from node’s slim image, as a numeric non-root user, in exec form with a HEALTHCHECK', () => {
    const dockerfile = readDockerfile();
    for (const target of finalTargets) {
      const chain = [dockerfile.stage(target)];
      while (dockerfile.stages.some((stage) => stage.name === chain[0]!.base))
        chain.unshift(dockerfile.stage(chain[0]!.base));
      expect(chain[0]!.base, target).toMatch(/^node:20-bookworm-slim$/);
      const instructions = chain.flatMap((stage) => stage.instructions);
      const user = instructions.filter((instruction) => instruction.kind === 'USER').at(-1);
      expect(user, target).toMatchObject({ user: '1000:1000' });
      for (const kind of ['ENTRYPOINT', 'HEALTHCHECK'] as const) {
        const found = instructions.filter((instruction) => instruction.kind === kind).at(-1);
        expect(found, `${target} ${kind}`).toBeDefined();
        expect(
          (found as { command: { exec?: string[] } }).command.exec,
          `${target} ${kind}`,
        ).toBeDefined();
      }
      expect(
        instructions.some((instruction) => instruction.kind === 'RUN'),
        target,
      ).toBe(false);
    }
  });

  it('.dockerignore keeps the sources and leaves out builds, installs, local state and tools', () => {
    for (const kept of [
      'runtime/index.ts',
      'registry/bin.js',
      'package-lock.json',
      'deploy/docker/probe.mjs',
      'examples/greeting/mesh.yaml',
    ])
      expect(ignoredByDocker(kept), kept).toBe(false);
    for (const left of [
      'node_modules/fastify/package.json',
      'runtime/dist/index.js',
      'examples/dist/greeting/handlers/clock.js',
      'registry/node_modules/x',
      '.git/HEAD',
      '.tools/node-22/bin',
      '.mesh-state/registry.db',
      'examples/.mesh-state/logs/a.log',
      'mcp-mesh-runtime-0.2.0.tgz',
    ])
      expect(ignoredByDocker(left), left).toBe(true);
  });

  it('registry: its layout holds compiled JavaScript and production dependencies only, and it serves from there', async () => {
    const layout = await layoutOf('registry');
    expect(layout.entrypoint).toEqual(['node', 'registry/bin.js']);
    expect(
      existsSync(layout.hostPath('/opt/mcp-mesh/registry/dist/registry/migrate-main.js')),
    ).toBe(true);
    expect(typescriptSources(layout)).toEqual([]);
    const modules = layout.hostPath('/opt/mcp-mesh/node_modules');
    for (const devOnly of [
      'vitest',
      'typescript',
      'tsx',
      'prisma',
      'esbuild',
      '@biomejs/biome',
      'ts-morph',
    ])
      expect(existsSync(join(modules, devOnly)), devOnly).toBe(false);
    for (const needed of [
      '@prisma/client',
      '@prisma/schema-engine-wasm',
      'pg',
      'better-sqlite3',
      'fastify',
    ])
      expect(existsSync(join(modules, needed)), needed).toBe(true);

    const port = String(await freePort());
    // The image's own settings; only the port is the test's (the default DATABASE_URL, an SQLite
    // file in the node user's home, is inside the reproduced layout).
    const { process, env } = start(layout, 'registry', {}, { PORT: port });
    expect(await healthcheck(layout, { ...env, PORT: String(await freePort()) })).toBe(1);
    await healthy(layout, process, env);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(existsSync(layout.hostPath('/home/node/.mesh-state/registry.db'))).toBe(true);
    const end = await process.stop(10_000);
    expect(end, process.logs()).toMatchObject({ code: 0, killed: false });
  });

  it('examples: the default CMD serves the greeter, any example runs by naming its module, healthy by /ready', async () => {
    const layout = await layoutOf('examples');
    expect(layout.entrypoint).toEqual(['node', '/opt/mcp-mesh/runtime/dist/agent-main.js']);
    expect(layout.workdir).toBe('/opt/mcp-mesh/app');
    expect(typescriptSources(layout)).toEqual([]);
    for (const devOnly of [
      'vitest',
      'typescript',
      'tsx',
      'prisma',
      '@prisma/client',
      'better-sqlite3',
    ])
      expect(existsSync(layout.hostPath(`/opt/mcp-mesh/node_modules/${devOnly}`)), devOnly).toBe(
        false,
      );
    const standalone = { MCP_MESH_REGISTRY_URL: 'off', REDIS_URL: 'off' };

    const greeterPort = String(await freePort());
    const greeter = start(
      layout,
      'greeter',
      {},
      { ...standalone, MCP_MESH_HTTP_PORT: greeterPort },
    );
    const counterPort = String(await freePort());
    const counter = start(
      layout,
      'counter',
      { args: ['counter/handlers/counter.js'] },
      { ...standalone, MCP_MESH_HTTP_PORT: counterPort },
    );
    await Promise.all([
      healthy(layout, greeter.process, greeter.env),
      healthy(layout, counter.process, counter.env),
    ]);
    const client = new Client({ name: 'image-check', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${greeterPort}/mcp`)),
    );
    try {
      const answer = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
      expect(answer.structuredContent).toEqual({ message: 'Hello, Ada!' });
    } finally {
      await client.close();
    }
    const metadata = (await (await fetch(`http://127.0.0.1:${counterPort}/metadata`)).json()) as {
      name: string;
    };
    expect(metadata.name).toBe('counter');
    for (const { process } of [greeter, counter])
      expect(await process.stop(10_000), process.logs()).toMatchObject({ code: 0, killed: false });
  });

  it('an agent serving HTTPS (MCP_MESH_TLS_CERT) passes its HEALTHCHECK, which probes it over HTTPS', async () => {
    const layout = await layoutOf('examples');
    const certificates = makeTestCertificates();
    try {
      const port = String(await freePort());
      const agent = start(
        layout,
        'greeter-tls',
        {},
        {
          MCP_MESH_REGISTRY_URL: 'off',
          REDIS_URL: 'off',
          MCP_MESH_HTTP_PORT: port,
          MCP_MESH_TLS_CERT: certificates.certFile,
          MCP_MESH_TLS_KEY: certificates.keyFile,
        },
      );
      await healthy(layout, agent.process, agent.env);
      // The same probe over plain HTTP fails: the scheme follows the process's settings.
      const { MCP_MESH_TLS_CERT: _cert, ...plain } = agent.env;
      expect(await healthcheck(layout, plain)).toBe(1);
      expect(await agent.process.stop(10_000), agent.process.logs()).toMatchObject({
        code: 0,
        killed: false,
      });
    } finally {
      certificates.remove();
    }
  });

  it('agent-base: with no agent named, says what to pass and exits 2', async () => {
    const layout = await layoutOf('agent-base');
    expect(layout.cmd).toBeUndefined();
    const command = layout.command();
    const { code, output } = await runToEnd({ ...command, timeoutMs: 20_000 });
    expect(code).toBe(2);
    expect(output).toContain('usage: mcp-mesh-agent <handler-module>');
  });
});
