#!/usr/bin/env node
// Compiles the example meshes (handlers, generated code) to JavaScript for the examples image:
//   node deploy/docker/compile-examples.mjs <output folder>
// Each TypeScript file becomes one ES module at the same place under the output folder
// (examples/greeting/handlers/clock.ts → <output>/greeting/handlers/clock.js), imports kept as
// written: the images run compiled JavaScript only, no TypeScript loader.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const output = process.argv[2];
if (!output) {
  console.error('usage: node deploy/docker/compile-examples.mjs <output folder>');
  process.exit(2);
}
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Every module an example agent loads: not tests, demos or the repository's test support. */
function sources(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : sources(path);
    const keep =
      entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'demo.ts';
    return keep ? [path] : [];
  });
}

const meshes = readdirSync(examples, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'support' && entry.name !== 'dist')
  .map((entry) => join(examples, entry.name));
const entryPoints = meshes.flatMap(sources);
await build({
  entryPoints,
  outdir: output,
  outbase: examples,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(
  `compiled ${entryPoints.length} example modules into ${relative(process.cwd(), output) || '.'}`,
);
