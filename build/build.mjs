#!/usr/bin/env node
// `npm run build`: compiles every package to ESM JavaScript + .d.ts in its dist/ and copies the
// data files each one reads at run time. Packages build in dependency order, each against the
// compiled declarations of the ones before it (as a user's install would see them).
//   node build/build.mjs [package…] [--if-stale]
// --if-stale rebuilds only the packages whose sources changed since their last build (what the
// test run does first, so that end-to-end tests never run yesterday's dist/).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Each package in build order, with the files it carries beside its compiled code. */
const packages = [
  {
    folder: 'runtime',
    assets: [],
    sources: ['runtime'],
    // tsc writes the declarations; esbuild the JavaScript, one module graph with the MCP SDK and
    // zod inside (zod alone is ~220 files to resolve): an agent starts in about half the time.
    // What stays external bundles badly (pino: its transports run files in worker threads) or
    // is loaded only in some agents (ioredis, for session affinity).
    // A package bundled whole and named in no .d.ts is a devDependency of the runtime (the MCP
    // client, the SDK's node adapter, the OpenTelemetry SDK), so that a user's install
    // does not carry it twice; what the declarations name stays a dependency.
    bundle: {
      entryPoints: [
        'index.ts',
        'agent-main.ts',
        'kwargs/units.ts',
        'trust/index.ts',
        'telemetry/index.ts',
        'shared.ts',
      ],
      external: ['pino', 'ioredis'],
    },
  },
  {
    folder: 'generator',
    assets: [
      ['spec/mesh.schema.json', 'spec/mesh.schema.json'],
      ['spec/x-mesh.schema.json', 'spec/x-mesh.schema.json'],
    ],
    sources: ['generator', 'spec/mesh.schema.json', 'spec/x-mesh.schema.json'],
  },
  {
    folder: 'registry',
    assets: [
      ['spec/registry.openapi.yaml', 'spec/registry.openapi.yaml'],
      ['prisma/migrations', 'prisma/migrations'],
      ['registry/dashboard/page', 'registry/dashboard/page'],
    ],
    sources: ['registry', 'generated', 'prisma/migrations', 'spec/registry.openapi.yaml'],
  },
  { folder: 'cli', assets: [], sources: ['cli'] },
];

const stamp = '.build-stamp';

/** Bundles `entryPoints` (relative to `folder`) into folder/dist, sharing chunks between them. */
async function bundle(folder, { entryPoints, external }) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: folder,
    entryPoints,
    outdir: 'dist',
    outbase: '.',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    // Positions only: the sources are not in the package, and their text would double its size.
    sourcesContent: false,
    // Whitespace and syntax only: names stay, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    external,
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __meshRequire } from 'node:module'; const require = __meshRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

/** The newest modification time under `path` (a file or a folder), dist/ and node_modules/ aside. */
function newestChange(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    newest = Math.max(newest, newestChange(join(path, entry.name)));
  }
  return newest;
}

function isStale({ folder, sources }) {
  const stampFile = join(root, folder, 'dist', stamp);
  if (!existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  return sources.some((source) => newestChange(join(root, source)) > built);
}

const arguments_ = process.argv.slice(2);
const ifStale = arguments_.includes('--if-stale');
const only = arguments_.filter((argument) => !argument.startsWith('--'));
for (const build of packages) {
  const { folder, assets } = build;
  if (only.length > 0 && !only.includes(folder)) continue;
  if (ifStale && !isStale(build)) continue;
  const started = performance.now();
  // Stamped with the time the build began: a source saved while it compiles is stale next time.
  const began = new Date();
  const dist = join(root, folder, 'dist');
  // A full build starts clean; a refresh overwrites in place, so that tests running from dist/
  // in another process never see it missing.
  if (!ifStale) rmSync(dist, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, folder, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  } catch {
    console.error(`build: ${folder} did not compile (errors above)`);
    process.exit(1);
  }
  if (build.bundle) await bundle(join(root, folder), build.bundle);
  for (const [from, to] of assets) cpSync(join(root, from), join(dist, to), { recursive: true });
  writeFileSync(join(dist, stamp), `${began.toISOString()}\n`);
  utimesSync(join(dist, stamp), began, began);
  console.log(`built ${folder} in ${Math.round(performance.now() - started)} ms`);
}
