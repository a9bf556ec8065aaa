import type { AgentMetadata } from '@mcp-mesh/runtime';
import type { SourceFile, SpecPath } from './source-file.js';

/** An agent of the spec with where it came from, so later checks can point at its lines. */
export interface LocatedAgent {
  readonly file: SourceFile;
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
