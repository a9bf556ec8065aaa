import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const specFileName = /(^|\.)(mesh\.ya?ml|openapi\.(ya?ml|json))$/;
const skippedDirectories = new Set(['node_modules', 'generated', '.git']);

/**
 * Expands the paths a user gave into spec files. A file is taken whatever its name; a directory
 * contributes, recursively, its files named `mesh.yaml` or `*.mesh.yaml` (or `.yml`) and its
 * OpenAPI documents named `openapi.yaml` or `*.openapi.yaml` (or `.yml`, `.json`), so that other
 * YAML (CI, compose files) living beside a spec is never mistaken for one.
 * Answers sorted paths and the paths that do not exist or hold no spec.
 */
export function findSpecFiles(paths: readonly string[]): {
  files: string[];
  missing: string[];
  empty: string[];
} {
  const files = new Set<string>();
  const missing: string[] = [];
  const empty: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      missing.push(path);
      continue;
    }
    if (!isDirectory) {
      files.add(path);
      continue;
    }
    const found = walk(path);
    if (found.length === 0) empty.push(path);
    for (const file of found) files.add(file);
  }
  return { files: [...files].sort(), missing, empty };
}

function walk(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skippedDirectories.has(entry.name) && !entry.name.startsWith('.')) {
        found.push(...walk(join(directory, entry.name)));
      }
    } else if (specFileName.test(entry.name)) {
      found.push(join(directory, entry.name));
    }
  }
  return found;
}
