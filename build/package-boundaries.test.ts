// Each package reaches another only through its package name and `exports`, as a user's install
// would: a relative import into another package's folder compiles that folder's files into this
// package's dist/ (a second copy, with its own classes) and works only inside this repository.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const packages = ['runtime', 'generator', 'registry', 'cli'];

function sources(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (entry.name.endsWith('.ts')) found.push(path);
  }
  return found;
}

/** What each relative import on `line` of `file` reaches, as a path from the repository root. */
function relativeImports(file: string, line: string): string[] {
  return [...line.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((match) =>
    relative(root, resolve(file, '..', match[1] as string)),
  );
}

/** The package folder `target` (a path from the repository root) is in, if any. */
function packageOf(target: string): string | undefined {
  const folder = target.split(sep)[0] as string;
  return packages.includes(folder) ? folder : undefined;
}

/** `file:line` of every relative import in `pkg` that resolves into another package's folder. */
function crossings(pkg: string): string[] {
  const found: string[] = [];
  for (const file of sources(join(root, pkg))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const target of relativeImports(file, line)) {
          const owner = packageOf(target);
          if (owner !== undefined && owner !== pkg)
            found.push(`${relative(root, file)}:${index + 1} imports ${target}`);
        }
      });
  }
  return found;
}

describe('package boundaries', () => {
  for (const pkg of packages) {
    it(`${pkg} imports the other packages by name only`, () => {
      expect(crossings(pkg)).toEqual([]);
    });
  }

  it('notices a relative import across packages', () => {
    // The check itself: registry/ reaching into runtime/ by path is what it must report.
    const file = join(root, 'registry/tls/file.ts');
    const [target] = relativeImports(
      file,
      "import { x } from '../../runtime/tls/tls-settings.js';",
    );
    expect(target).toBe(join('runtime', 'tls', 'tls-settings.js'));
    expect(packageOf(target as string)).toBe('runtime');
    // Its own package's files are not a crossing.
    expect(packageOf(relativeImports(file, "import('./https-option.js')")[0] as string)).toBe(
      'registry',
    );
  });
});
