/**
 * What `meshctl start` runs: the paths it is given, turned into agents. A spec file or
 * directory contributes each agent it declares, run from its handler module
 * `<spec dir>/handlers/<kebab(agent)>.ts` (the layout `meshctl generate` writes: generated code
 * in `<spec dir>/generated`, handlers beside it); a TypeScript or JavaScript file is an entry,
 * a module whose default export is an agent, run as is.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '@mcp-mesh/generator';
import { kebabCase, validateSpec } from '@mcp-mesh/generator';
import type { PlainServerMetadata } from '@mcp-mesh/runtime';
import { UsageError } from '../usage-error.js';

/** A file or folder whose changes restart an agent under `--watch`. */
export interface WatchedPath {
  readonly path: string;
  readonly recursive: boolean;
}

export interface AgentTarget {
  readonly name: string;
  /** Absolute path of the module whose default export is the agent. */
  readonly module: string;
  /** Absolute path of the spec that declares it; absent for an entry file. */
  readonly spec?: string;
  /** The spec's `port` (0: any free port); 0 for an entry file, whose port meshctl cannot see. */
  readonly specPort: number;
  /** The spec's `host`, if any. */
  readonly specHost?: string;
  /** What `--watch` watches: spec, handler module, generated code. */
  readonly watch: readonly WatchedPath[];
}

export interface ResolvedTargets {
  readonly agents: readonly AgentTarget[];
  /** The plain MCP servers the specs declare (`servers:`), registered on their behalf. */
  readonly servers: readonly PlainServerMetadata[];
  /** Spec diagnostics (warnings included), to print as file:line:col. */
  readonly diagnostics: readonly Diagnostic[];
  /** Problems that stop the start (spec errors aside): missing handler files, missing entries. */
  readonly problems: readonly string[];
  /** The spec had errors. */
  readonly specErrors: boolean;
}

const entryExtension = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Whether a path given to `start` is an entry module rather than a spec. */
export function isEntryPath(path: string): boolean {
  return entryExtension.test(path);
}

/** Turns the paths given to `start` into the agents to run. */
export async function resolveTargets(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<ResolvedTargets> {
  const show = (path: string) => displayPath(path, cwd);
  const specPaths = paths.filter((path) => !isEntryPath(path));
  const entryPaths = paths.filter(isEntryPath);
  const agents: AgentTarget[] = [];
  let servers: readonly PlainServerMetadata[] = [];
  const problems: string[] = [];
  let diagnostics: readonly Diagnostic[] = [];
  let specErrors = false;

  if (specPaths.length > 0) {
    const result = await validateSpec(specPaths, cwd);
    diagnostics = result.diagnostics;
    if (!result.model) specErrors = true;
    servers = (result.model?.servers ?? []).map(({ source: _source, ...server }) => server);
    for (const agent of result.model?.agents ?? []) {
      const spec = resolve(cwd, agent.source);
      const specDirectory = dirname(spec);
      const module = join(specDirectory, 'handlers', `${kebabCase(agent.name)}.ts`);
      if (!existsSync(module)) {
        problems.push(
          `no handler file ${show(module)} for agent ${agent.name} — run \`meshctl generate ${show(specDirectory)}\` to scaffold it`,
        );
        continue;
      }
      agents.push({
        name: agent.name,
        module,
        spec,
        specPort: agent.port,
        ...(agent.host === undefined ? {} : { specHost: agent.host }),
        watch: [
          { path: spec, recursive: false },
          { path: module, recursive: false },
          { path: join(specDirectory, 'generated'), recursive: true },
        ],
      });
    }
  }

  for (const path of entryPaths) {
    const module = resolve(cwd, path);
    if (!isFile(module)) {
      problems.push(
        `no such file ${show(module)} — pass a spec file or folder, or a module whose default export is an agent`,
      );
      continue;
    }
    const generated = join(dirname(module), '..', 'generated');
    agents.push({
      name: entryName(module),
      module,
      specPort: 0,
      watch: [
        { path: module, recursive: false },
        ...(existsSync(generated) ? [{ path: resolve(generated), recursive: true }] : []),
      ],
    });
  }

  const seen = new Map<string, AgentTarget>();
  for (const agent of agents) {
    const earlier = seen.get(agent.name);
    if (earlier) {
      problems.push(
        `two agents are named ${agent.name} (${show(earlier.module)} and ${show(agent.module)}); start them separately`,
      );
    }
    seen.set(agent.name, agent);
  }
  return { agents, servers, diagnostics, problems, specErrors };
}

/**
 * The agents `--agent` asks for, in the order given; an unknown name is a usage error that
 * lists the ones there are.
 */
export function selectAgents(
  agents: readonly AgentTarget[],
  names: readonly string[],
): AgentTarget[] {
  if (names.length === 0) return [...agents];
  const unknown = names.filter((name) => !agents.some((agent) => agent.name === name));
  if (unknown.length > 0) {
    const available = agents.map((agent) => agent.name).join(', ') || 'none';
    throw new UsageError(
      `no agent named ${unknown.join(', ')} in the given paths (agents: ${available})`,
    );
  }
  return agents.filter((agent) => names.includes(agent.name));
}

/** An entry's name: its file name without extension (`handlers/greeter.ts` → `greeter`). */
function entryName(module: string): string {
  return basename(module, extname(module));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Relative to `cwd` when inside it, else absolute; `.` for `cwd` itself. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, path);
  if (shown === '') return '.';
  return shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}
