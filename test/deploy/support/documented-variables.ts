/**
 * The environment variables the mesh's processes read, as the docs' tables list them
 * (docs/runtime.md for agents, docs/registry.md for the registry): a deployment file that sets
 * any other `MCP_MESH_*`-style name has a typo the process would silently ignore.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../e2e/support/registry-process.js';

function tableVariables(document: string): Set<string> {
  const text = readFileSync(join(repositoryRoot, 'docs', document), 'utf8');
  // A row's first cell names one variable or several (`MCP_MESH_TLS_CERT`, `MCP_MESH_TLS_KEY`).
  const cells = [...text.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]*`(?:, )?)+) \|/gm)].map(
    (match) => match[1]!,
  );
  return new Set(
    cells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((name) => name[1]!)),
  );
}

/** What an agent reads. */
export const agentVariables = tableVariables('runtime.md');

/** What the registry reads. */
export const registryVariables = tableVariables('registry.md');

/** Names in `names` that `documented` does not list (besides what Node itself reads). */
export function undocumented(names: readonly string[], documented: ReadonlySet<string>): string[] {
  const node = new Set(['NODE_ENV', 'NODE_OPTIONS', 'HOSTNAME', 'PATH', 'HOME']);
  return names.filter((name) => !documented.has(name) && !node.has(name));
}
