import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Diagnostic, kebabCase } from '@mcp-mesh/generator';
import { addAgent, type NewAgent } from './add-agent.js';
import {
  dockerfile,
  dockerignore,
  gitignore,
  packageJson,
  readme,
  tsconfigJson,
} from './project-files.js';

export type NewProjectResult =
  | { readonly ok: true; readonly written: readonly string[] }
  | { readonly ok: false; readonly problem: string; readonly diagnostics: readonly Diagnostic[] };

/** npm's rules for a package name, applied to a folder's name (lower case, no spaces). */
export function packageNameFor(directory: string): string {
  const name = basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'mcp-mesh-project' : name;
}

/**
 * Starts a project in `directory` (created when missing, refused when it holds anything): a
 * package.json, tsconfig, .gitignore, README, a Dockerfile (and .dockerignore), a spec with
 * `agent`, its generated code and a working handler. All or nothing: on failure, whatever it wrote is removed again.
 */
export async function createProject(
  directory: string,
  agent: NewAgent,
  meshVersion: string,
): Promise<NewProjectResult> {
  const existed = existsSync(directory);
  if (existed) {
    const entries = readdirSync(directory);
    if (entries.length > 0)
      return {
        ok: false,
        problem: `${directory} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); give meshctl init a new or empty folder`,
        diagnostics: [],
      };
  }
  mkdirSync(directory, { recursive: true });
  const name = packageNameFor(directory);
  const files: [string, string][] = [
    ['package.json', packageJson(name, meshVersion)],
    ['tsconfig.json', tsconfigJson],
    ['.gitignore', gitignore],
    ['README.md', readme(name, agent.tool)],
    ['Dockerfile', dockerfile(name, `dist/handlers/${kebabCase(agent.name)}.js`)],
    ['.dockerignore', dockerignore],
  ];
  for (const [file, content] of files) writeFileSync(join(directory, file), content);
  const result = await addAgent(join(directory, 'mesh.yaml'), agent);
  if (!result.ok) {
    if (existed)
      for (const entry of readdirSync(directory))
        rmSync(join(directory, entry), { recursive: true });
    else rmSync(directory, { recursive: true, force: true });
    return result;
  }
  return {
    ok: true,
    written: [
      ...files.map(([file]) => join(directory, file)),
      join(directory, 'mesh.yaml'),
      ...result.written,
    ],
  };
}
