import type { AgentMetadata } from '@mcp-mesh/runtime';
import type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.js';
import type { SpecPath } from './source-file.js';

/**
 * Where an agent's spec data lives and how a path into it becomes a located diagnostic: a
 * mesh YAML file (`SourceFile`), or an OpenAPI document seen through the mesh layout.
 */
export interface SpecLocator {
  /** Display path of the file the agent is declared in. */
  readonly path: string;
  /** The data in the mesh layout (`{ agents: [...] }`) that the paths below point into. */
  readonly data: unknown;
  diagnostic(
    path: SpecPath,
    severity: Severity,
    code: DiagnosticCode,
    message: string,
    options?: { atKey?: boolean },
  ): Diagnostic;
}

/** An agent of the spec with where it came from, so later checks can point at its lines. */
export interface LocatedAgent {
  readonly file: SpecLocator;
  /** Path of the agent inside its file, e.g. `['agents', 0]`. */
  readonly path: SpecPath;
  readonly metadata: AgentMetadata;
}

export function toolPath(agent: LocatedAgent, toolIndex: number): SpecPath {
  return [...agent.path, 'tools', toolIndex];
}

export function dependencyPath(
  agent: LocatedAgent,
  toolIndex: number,
  dependencyIndex: number,
): SpecPath {
  return [...toolPath(agent, toolIndex), 'dependencies', dependencyIndex];
}
