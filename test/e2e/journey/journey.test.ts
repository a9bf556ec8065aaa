// The whole journey of a user, outside this repository and from the packed tarballs only:
// `meshctl init`, install, `meshctl scaffold` a second agent that depends on the first,
// validate / generate --check / tsc under a strict tsconfig, `meshctl start` and a call across
// agents, then the same agents compiled by the user's tsc, run by plain node, called again. On
// Node 20 and, through the node@22 and node@24 npm packages, on 22 and 24.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPostgresDatabase,
  type TestDatabase,
} from '../../../registry/store/test-databases.js';
import { freePort } from '../support/free-port.js';
import { repositoryRoot } from '../support/registry-process.js';
import { nodeBinary } from './node-versions.js';
import { sqlitePrebuildEnvironment } from './sqlite-prebuild.js';
import { type ProjectProcess, UserProject } from './user-project.js';

const run = promisify(execFile);
const majors = [20, 22, 24] as const;
const installTimeoutMs = 300_000;
const stepTimeoutMs = 120_000;

let root = '';
let project: UserProject;
const databases: TestDatabase[] = [];

/** The tarballs `npm pack` makes of every workspace, as a user would get them from a registry. */
async function packWorkspaces(destination: string): Promise<Record<string, string>> {
  mkdirSync(destination, { recursive: true });
  await run('npm', ['pack', '--workspaces', '--pack-destination', destination], {
    cwd: repositoryRoot,
  });
  const tarballs: Record<string, string> = {};
  for (const file of readdirSync(destination)) {
    const name = /^mcp-mesh-(runtime|generator|registry|cli)-/.exec(file)?.[1];
    if (name) tarballs[`@mcp-mesh/${name}`] = `file:${join(destination, file)}`;
  }
  return tarballs;
}

/** The agents' answer to `greet`, once the greeter is wired to the hello agent. */
async function greetThroughMesh(on: UserProject, registryUrl: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const call = await on.meshctl([
      'call',
      'greet',
      '{"name":"Ada"}',
      '--registry-url',
      registryUrl,
    ]);
    last = `${call.stdout}${call.stderr}`;
    if (call.code === 0) {
      const message = (JSON.parse(call.stdout) as { message: string }).message;
      if (message.includes('relays')) return message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`greet never answered through the mesh; last: ${last}`);
}

/** A registry run by plain node from the project's own install; SQLite on 20, PostgreSQL else. */
async function startRegistry(
  on: UserProject,
  major: number,
): Promise<{ url: string; process: ProjectProcess }> {
  const port = await freePort();
  // The native SQLite driver was built for the Node that installed the project (20); on other
  // releases the registry runs on PostgreSQL, which needs no native code.
  const databaseUrl =
    major === 20
      ? `file:${join(root, `registry-${major}.db`)}`
      : (
          await createTestPostgresDatabase().then((database) => {
            databases.push(database);
            return database;
          })
        ).url;
  const started = on.start(['node_modules/.bin/mcp-mesh-registry'], {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return { url, process: started };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the registry did not serve: ${started.output()}`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesh-journey-'));
  const tarballs = await packWorkspaces(join(root, 'packs'));
  // meshctl init as compiled in this repository (the code the cli tarball holds), run outside it.
  await run(process.execPath, [join(repositoryRoot, 'cli/bin.js'), 'init', 'app'], { cwd: root });
  project = new UserProject(join(root, 'app'), process.execPath, {
    MCP_MESH_HEALTH_INTERVAL: '0.5',
  });
  // The tarballs stand in for the npm registry: the direct dependencies point at them, and so
  // do the packages' dependencies on each other (overrides), so nothing comes from a workspace.
  const manifest = project.readJson('package.json') as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  manifest.dependencies['@mcp-mesh/runtime'] = tarballs['@mcp-mesh/runtime'] as string;
  manifest.devDependencies['@mcp-mesh/cli'] = tarballs['@mcp-mesh/cli'] as string;
  project.writeJson('package.json', {
    ...manifest,
    overrides: {
      '@mcp-mesh/runtime': '$@mcp-mesh/runtime',
      '@mcp-mesh/generator': tarballs['@mcp-mesh/generator'],
      '@mcp-mesh/registry': tarballs['@mcp-mesh/registry'],
    },
  });
  // --prefer-offline: what `npm ci` just fetched into the cache is not asked for again.
  const install = await project.run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline'],
    {
      env: sqlitePrebuildEnvironment(repositoryRoot, join(root, 'prebuilds')),
      timeoutMs: installTimeoutMs,
    },
  );
  expect(install.code, install.stderr).toBe(0);
}, installTimeoutMs + 60_000);

afterAll(async () => {
  await project?.stopAll();
  for (const database of databases) await database.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a user project built from the packed tarballs', () => {
  it('was made by meshctl init, which refuses a folder that is not empty and writes nothing', async () => {
    const before = readdirSync(project.directory).sort();
    const spec = readFileSync(join(project.directory, 'mesh.yaml'), 'utf8');
    const again = await run(process.execPath, [join(repositoryRoot, 'cli/bin.js'), 'init', 'app'], {
      cwd: root,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /nothing written: .*app is not empty .*give meshctl init a new or empty folder/,
    );
    expect(readdirSync(project.directory).sort()).toEqual(before);
    expect(readFileSync(join(project.directory, 'mesh.yaml'), 'utf8')).toBe(spec);
    expect(project.readJson('package.json').dependencies).toHaveProperty('@mcp-mesh/runtime');
  });

  it('installs the runtime without the registry, generator or CLI in its dependencies', () => {
    const runtime = JSON.parse(
      readFileSync(join(project.directory, 'node_modules/@mcp-mesh/runtime/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const names = Object.keys(runtime.dependencies);
    for (const heavy of ['prisma', '@prisma/client', 'ts-morph', 'esbuild', 'handlebars', 'tsx'])
      expect(names).not.toContain(heavy);
  });

  it(
    'adds a second agent that depends on the first with meshctl scaffold',
    async () => {
      const scaffold = await project.meshctl([
        'scaffold',
        'greeter',
        '--tool',
        'greet',
        '--depends-on',
        'hello',
      ]);
      expect(scaffold.code, scaffold.stderr).toBe(0);
      expect(scaffold.stdout).toContain('wrote handlers/greeter.ts');
      expect(readFileSync(join(project.directory, 'handlers/greeter.ts'), 'utf8')).toContain(
        'hello.call({ name }',
      );
    },
    stepTimeoutMs,
  );

  describe.each(majors)('on Node %i', (major) => {
    let on: UserProject;
    beforeAll(() => {
      on = new UserProject(project.directory, nodeBinary(repositoryRoot, major), {
        MCP_MESH_HEALTH_INTERVAL: '0.5',
      });
    }, stepTimeoutMs);
    afterAll(() => on?.stopAll());

    it(
      'validates, finds the generated code up to date and type-checks strictly',
      async () => {
        expect((await on.run('node', ['--version'])).stdout.trim()).toMatch(
          new RegExp(`^v${major}\\.`),
        );
        const validate = await on.meshctl(['validate']);
        expect(validate.code, validate.stdout + validate.stderr).toBe(0);
        const check = await on.meshctl(['generate', '--check']);
        expect(check.code, check.stderr).toBe(0);
        expect(check.stdout).toContain('generated code is up to date');
        const tsconfig = on.readJson('tsconfig.json') as {
          compilerOptions: Record<string, unknown>;
        };
        expect(tsconfig.compilerOptions).toMatchObject({
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
        });
        // On 22 and 24 the build below is the strict check: its tsc reads the same tsconfig and
        // fails on any error, so type-checking twice there would only cost CI time.
        if (major === 20) {
          const typecheck = await on.run('npx', ['tsc', '--noEmit']);
          expect(typecheck.stdout + typecheck.stderr).toBe('');
          expect(typecheck.code).toBe(0);
        }
      },
      stepTimeoutMs,
    );

    it(
      'runs under meshctl start and answers a call across agents',
      async () => {
        const state = { MCP_MESH_STATE_DIR: join(root, `state-${major}`) };
        const registryUrl =
          major === 20
            ? `http://127.0.0.1:${await freePort()}`
            : (await startRegistry(on, major)).url;
        const start = await on.meshctl(
          ['start', '.', '--detach', '--registry-url', registryUrl],
          state,
        );
        try {
          expect(start.code, start.stdout + start.stderr).toBe(0);
          expect(start.stdout).toMatch(/hello\s+agent/);
          expect(start.stdout).toMatch(/greeter\s+agent/);
          expect(await greetThroughMesh(on, registryUrl)).toBe(
            'greeter relays: Hello, Ada, from hello!',
          );
        } finally {
          const stop = await on.meshctl(['stop'], state);
          expect(stop.code, stop.stderr).toBe(0);
        }
      },
      stepTimeoutMs,
    );

    it(
      'runs compiled by tsc under plain node and answers again',
      async () => {
        rmSync(join(on.directory, 'dist'), { recursive: true, force: true });
        const build = await on.run('npm', ['run', 'build']);
        expect(build.code, build.stdout + build.stderr).toBe(0);
        expect(build.stdout + build.stderr).not.toMatch(/error TS\d+/);
        const registry = await startRegistry(on, major);
        for (const agent of ['hello', 'greeter']) {
          on.start(['node_modules/.bin/mcp-mesh-agent', `dist/handlers/${agent}.js`], {
            MCP_MESH_REGISTRY_URL: registry.url,
            MCP_MESH_HTTP_HOST: '127.0.0.1',
            MCP_MESH_HTTP_PORT: '0',
          });
        }
        expect(await greetThroughMesh(on, registry.url)).toBe(
          'greeter relays: Hello, Ada, from hello!',
        );
        await on.stopAll();
      },
      stepTimeoutMs,
    );
  });
});
