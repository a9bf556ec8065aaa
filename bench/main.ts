// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints
// one table. Each benchmark measures its figure and its baseline in the same run.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchResult, formatTable } from './report.js';

const directory = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(directory)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((filter) => name.includes(filter)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  const module = (await import(`./${file}`)) as { run: () => Promise<BenchResult[]> };
  console.error(`running ${file} ...`);
  results.push(...(await module.run()));
}
console.log(formatTable(results));
