/**
 * Node.js releases for the journey beyond the one running the tests: the `node@<major>` npm
 * packages, installed once into .tools/ (git-ignored) from the npm registry, as a binary each.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `node` binary of release `major`, installing the npm package `node@<major>` if needed. */
export function nodeBinary(repositoryRoot: string, major: number): string {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const prefix = join(repositoryRoot, '.tools', `node-${major}`);
  const binary = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node@${major}`], {
      cwd: prefix,
      stdio: 'ignore',
    });
  }
  return binary;
}
