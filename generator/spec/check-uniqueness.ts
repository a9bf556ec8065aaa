import type { Diagnostic } from './diagnostic.js';
import { dependencyPath, type LocatedAgent, type SpecLocator } from './located.js';
import type { SpecPath } from './source-file.js';

interface Place {
  readonly file: SpecLocator;
  readonly path: SpecPath;
}

/** Agent names are unique in the mesh; tool, resource, prompt and parameter names in their owner. */
export function checkUniqueness(agents: readonly LocatedAgent[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const agentNames = new Map<string, Place>();
  for (const agent of agents) {
    const { file, path, metadata } = agent;
    noteName(
      agentNames,
      metadata.name,
      { file, path: [...path, 'name'] },
      diagnostics,
      'duplicate-agent',
      `agent "${metadata.name}"`,
    );
    for (const [group, code, kind] of [
      ['tools', 'duplicate-tool', 'tool'],
      ['resources', 'duplicate-resource', 'resource'],
      ['prompts', 'duplicate-prompt', 'prompt'],
    ] as const) {
      const names = new Map<string, Place>();
      metadata[group].forEach((entry, index) => {
        noteName(
          names,
          entry.name,
          { file, path: [...path, group, index, 'name'] },
          diagnostics,
          code,
          `${kind} "${entry.name}" of agent "${metadata.name}"`,
        );
      });
    }
    metadata.tools.forEach((tool, toolIndex) => {
      const parameters = new Map<string, Place>();
      tool.dependencies.forEach((dependency, index) => {
        const place = { file, path: dependencyPath(agent, toolIndex, index) };
        const existing = parameters.get(dependency.parameter);
        if (existing) {
          diagnostics.push(
            file.diagnostic(
              place.path,
              'error',
              'duplicate-parameter',
              `two dependencies of tool "${tool.name}" would both be injected as "${dependency.parameter}"; give one of them its own "name" (the first is at ${where(existing)})`,
            ),
          );
        } else {
          parameters.set(dependency.parameter, place);
        }
      });
    });
  }
  return diagnostics;
}

function noteName(
  seen: Map<string, Place>,
  name: string,
  place: Place,
  diagnostics: Diagnostic[],
  code: Diagnostic['code'],
  what: string,
): void {
  const existing = seen.get(name);
  if (existing) {
    diagnostics.push(
      place.file.diagnostic(
        place.path,
        'error',
        code,
        `${what} is declared twice; first at ${where(existing)}`,
      ),
    );
  } else {
    seen.set(name, place);
  }
}

function where(place: Place): string {
  const diagnostic = place.file.diagnostic(place.path, 'error', 'schema', '');
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
}
