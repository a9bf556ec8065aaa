/**
 * better-sqlite3's native binary for the user's install, as the download it would be elsewhere.
 *
 * On a machine with internet, `npm install` gets better-sqlite3 prebuilt (prebuild-install
 * downloads it from GitHub); here GitHub is out of reach, so npm would compile SQLite from
 * source: a minute of both cores, in the middle of the test run. prebuild-install also reads
 * prebuilt binaries from a folder (`npm_config_better_sqlite3_local_prebuilds`): the binary this
 * repository's own `npm ci` built is packed there, under the name the download would have. A
 * user project that resolves another better-sqlite3 release, or runs on another Node ABI, finds
 * no file of its name and compiles as before.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment that points the user's `npm install` at the packed binary (empty if none). */
export function sqlitePrebuildEnvironment(
  repositoryRoot: string,
  destination: string,
): Record<string, string> {
  const packageFolder = join(repositoryRoot, 'node_modules', 'better-sqlite3');
  const binary = join('build', 'Release', 'better_sqlite3.node');
  if (!existsSync(join(packageFolder, binary))) return {};
  const { version } = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8')) as {
    version: string;
  };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(destination, { recursive: true });
  execFileSync('tar', ['-czf', join(destination, name), binary], { cwd: packageFolder });
  return { npm_config_better_sqlite3_local_prebuilds: destination };
}
