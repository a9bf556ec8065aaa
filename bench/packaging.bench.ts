// What the compiled packages cost a user, each beside today's tsx path in the same run (sources
// compiled on load, as every process ran before the packages were built): an agent process from
// start to answering /livez and to its first tools/call, its idle memory, `meshctl --help`,
// `meshctl list` against a running registry, and the disk an install of the runtime alone takes;
// and, per Node release here, the agent's memory beside a bare node:http server's.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { freePort } from '../test/e2e/support/free-port.js';
import { startRegistryProcess } from '../test/e2e/support/registry-process.js';
import { type BenchResult, median } from './report.js';

const exec = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const rounds = 7;
const tsx = ['--import', 'tsx', '--conditions=@mcp-mesh/source'];

// The agent both paths start: the proxy benchmarks' echo agent, as TypeScript for tsx and
// compiled to JavaScript (what a user's tsc writes) for plain node.
const agentModule = join(root, 'bench/proxy/echo-agent.ts');

/**
 * Starts `args` under node and times it until /livez answers; answers ms, RSS 1 s later, then
 * the time from start until a first `tools/call` (a new MCP client: connect, call) is answered,
 * which includes what the agent leaves to its first call (schema compiles, the server's first
 * request).
 */
async function startOnce(
  args: readonly string[],
  node = process.execPath,
  firstCall = true,
): Promise<{ ms: number; rssMb: number; firstCallMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(node, args, {
    cwd: root,
    env: {
      ...process.env,
      MCP_MESH_REGISTRY_URL: 'off',
      MCP_MESH_HTTP_PORT: String(port),
      MCP_MESH_LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/livez`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`agent exited: ${args.join(' ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
    if (!firstCall) return { ms, rssMb, firstCallMs: Number.NaN };
    // The same 1 s idle taken off: as if the call had come right after /livez.
    const callStarted = performance.now();
    const client = new Client(
      { name: 'bench', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)),
    );
    await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    const firstCallMs = ms + (performance.now() - callStarted);
    await client.close();
    return { ms, rssMb, firstCallMs };
  } finally {
    child.kill('SIGKILL');
  }
}

async function timed(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await exec(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  return performance.now() - started;
}

/** Medians of `rounds` runs of each, interleaved so that load on the machine hits both alike. */
async function sideBySide<T>(figure: () => Promise<T>, baseline: () => Promise<T>) {
  const figures: T[] = [];
  const baselines: T[] = [];
  // A pause after each run: a killed process's own children (tsx's esbuild service) and the
  // kernel's clean-up of it must not run into the next measurement.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
  for (let round = 0; round < rounds; round++) {
    figures.push(await figure());
    await settle();
    baselines.push(await baseline());
    await settle();
  }
  return { figures, baselines };
}

/** The least a Node process serving `/livez` over HTTP is: the floor under an agent's figures. */
const bareHttpServer = `import { createServer } from 'node:http';
createServer((request, response) => response.end('{"alive":true}'))
  .listen(Number(process.env.MCP_MESH_HTTP_PORT), '127.0.0.1');
`;

/** This Node, then the other releases the journey test installed, oldest first. */
function nodeReleases(): string[] {
  const tools = join(root, '.tools');
  const others = existsSync(tools)
    ? readdirSync(tools)
        .filter((name) => /^node-\d+$/.test(name))
        .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
        .map((name) => join(tools, name, 'node_modules/node/bin/node'))
        .filter((binary) => existsSync(binary))
    : [];
  return [process.execPath, ...others];
}

/** Bytes on disk under `path`, as `du` counts them. */
async function directorySizeMb(path: string): Promise<number> {
  const { stdout } = await exec('du', ['-sk', path]);
  return Number(stdout.split('\t')[0]) / 1024;
}

export async function run(): Promise<BenchResult[]> {
  const scratch = mkdtempSync(join(root, '.tmp-bench-packaging-'));
  const results: BenchResult[] = [];
  try {
    const { transform } = await import('esbuild');
    const compiled = await transform(readFileSync(agentModule, 'utf8'), {
      loader: 'ts',
      format: 'esm',
    });
    writeFileSync(join(scratch, 'agent.js'), compiled.code);
    const starts = await sideBySide(
      () => startOnce(['runtime/dist/agent-main.js', join(scratch, 'agent.js')]),
      () => startOnce([...tsx, 'runtime/agent-main.ts', agentModule]),
    );
    const startMs = median(starts.figures.map((start) => start.ms));
    const startBase = median(starts.baselines.map((start) => start.ms));
    const firstCall = median(starts.figures.map((start) => start.firstCallMs));
    const firstCallBase = median(starts.baselines.map((start) => start.firstCallMs));
    const rss = median(starts.figures.map((start) => start.rssMb));
    const rssBase = median(starts.baselines.map((start) => start.rssMb));
    results.push(
      {
        benchmark: 'agent start to /livez (compiled, plain node)',
        figure: `${startMs.toFixed(0)} ms`,
        baseline: `${startBase.toFixed(0)} ms (tsx on sources)`,
        ratio: `${(startMs / startBase).toFixed(2)}x time`,
        note: `median of ${rounds}; goal <= 400 ms`,
      },
      {
        benchmark: 'agent start to its first tools/call answered',
        figure: `${firstCall.toFixed(0)} ms`,
        baseline: `${firstCallBase.toFixed(0)} ms (tsx on sources)`,
        ratio: `${(firstCall / firstCallBase).toFixed(2)}x time`,
        note: `median of ${rounds}; /livez time + a new client's connect and call`,
      },
      {
        benchmark: 'agent idle RSS 1 s after /livez',
        figure: `${rss.toFixed(1)} MB`,
        baseline: `${rssBase.toFixed(1)} MB (tsx on sources)`,
        ratio: `${(rss / rssBase).toFixed(2)}x memory`,
        note: `median of ${rounds}; goal <= 70 MB`,
      },
    );

    // What the runtime itself costs, apart from Node's own growth between releases: the agent
    // beside a bare node:http server answering /livez, on this Node and on the others the
    // journey test installed (.tools/node-<major>), when they are there.
    writeFileSync(join(scratch, 'bare-http.mjs'), bareHttpServer);
    for (const node of nodeReleases()) {
      const version = (await exec(node, ['--version'])).stdout.trim();
      const bare = await sideBySide(
        () => startOnce(['runtime/dist/agent-main.js', join(scratch, 'agent.js')], node, false),
        () => startOnce([join(scratch, 'bare-http.mjs')], node, false),
      );
      const agentRss = median(bare.figures.map((start) => start.rssMb));
      const bareRss = median(bare.baselines.map((start) => start.rssMb));
      results.push({
        benchmark: `agent idle RSS on Node ${version}`,
        figure: `${agentRss.toFixed(1)} MB (+${(agentRss - bareRss).toFixed(1)})`,
        baseline: `${bareRss.toFixed(1)} MB (a bare node:http server, same Node)`,
        ratio: `${(agentRss / bareRss).toFixed(2)}x memory`,
        note: `median of ${rounds}; start to /livez ${median(bare.figures.map((start) => start.ms)).toFixed(0)} ms vs ${median(bare.baselines.map((start) => start.ms)).toFixed(0)} ms`,
      });
    }

    const help = await sideBySide(
      () => timed(['cli/bin.js', '--help']),
      () => timed([...tsx, 'cli/main.ts', '--help']),
    );
    results.push({
      benchmark: 'meshctl --help',
      figure: `${median(help.figures).toFixed(0)} ms`,
      baseline: `${median(help.baselines).toFixed(0)} ms (tsx on sources)`,
      ratio: `${(median(help.figures) / median(help.baselines)).toFixed(2)}x time`,
      note: `median of ${rounds}; goal <= 300 ms`,
    });

    const registry = await startRegistryProcess({
      databaseUrl: `file:${join(scratch, 'registry.db')}`,
    });
    try {
      const list = await sideBySide(
        () => timed(['cli/bin.js', 'list', '--registry-url', registry.url]),
        () => timed([...tsx, 'cli/main.ts', 'list', '--registry-url', registry.url]),
      );
      results.push({
        benchmark: 'meshctl list (running registry)',
        figure: `${median(list.figures).toFixed(0)} ms`,
        baseline: `${median(list.baselines).toFixed(0)} ms (tsx on sources)`,
        ratio: `${(median(list.figures) / median(list.baselines)).toFixed(2)}x time`,
        note: `median of ${rounds}; goal <= 500 ms`,
      });
    } finally {
      await registry.stop();
    }

    await exec('npm', ['pack', '--workspace', 'runtime', '--pack-destination', scratch], {
      cwd: root,
    });
    const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz')) as string;
    // Outside the repository, so that npm sees no workspace above it.
    const install = mkdtempSync(join(tmpdir(), 'mesh-bench-install-'));
    writeFileSync(join(install, 'package.json'), '{ "private": true }\n');
    await exec(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', join(scratch, tarball)],
      {
        cwd: install,
      },
    );
    const installed = await directorySizeMb(join(install, 'node_modules'));
    const everything = await directorySizeMb(join(root, 'node_modules'));
    const names = readdirSync(join(install, 'node_modules'), { recursive: true }) as string[];
    rmSync(install, { recursive: true, force: true });
    // Installed packages only: a folder of that name inside another package (fastify's tests
    // have an `esbuild` one) is not the package.
    const heavy = ['prisma', '@prisma/client', 'ts-morph', 'esbuild', 'handlebars'].filter((name) =>
      names.some((path) => path === name || path.endsWith(`/node_modules/${name}`)),
    );
    results.push({
      benchmark: 'npm install --omit=dev of the runtime tarball',
      figure: `${installed.toFixed(0)} MB`,
      baseline: `${everything.toFixed(0)} MB (this repository's node_modules: the one package of before)`,
      ratio: `${(installed / everything).toFixed(2)}x disk`,
      note: `goal <= 60 MB; ${heavy.length === 0 ? 'no Prisma, ts-morph, esbuild or handlebars' : `contains ${heavy.join(', ')}`}`,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}
