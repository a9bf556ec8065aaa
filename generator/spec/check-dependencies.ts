import type {
  DependencyAlternative,
  DependencyMetadata,
  DependencyTag,
  ToolMetadata,
} from '@mcp-mesh/runtime';
import { npmRange } from '@mcp-mesh/runtime/shared';
import semver from 'semver';
import type { Diagnostic } from './diagnostic.js';
import { dependencyPath, type LocatedAgent } from './located.js';

interface Provider {
  readonly agent: string;
  readonly tool: ToolMetadata;
}

/**
 * Dependencies that no tool of the spec can satisfy are warnings (their providers may live in
 * another spec); a cycle of `required` dependencies is an error, since none of its tools
 * could ever become available. The tools of plain `servers` provide capabilities too.
 */
export function checkDependencies(
  agents: readonly LocatedAgent[],
  servers: readonly { readonly metadata: { name: string; tools: readonly ToolMetadata[] } }[] = [],
): Diagnostic[] {
  const providers = new Map<string, Provider[]>();
  for (const { metadata } of [...agents, ...servers]) {
    for (const tool of metadata.tools) {
      const list = providers.get(tool.capability) ?? [];
      list.push({ agent: metadata.name, tool });
      providers.set(tool.capability, list);
    }
  }
  return [...findUnprovided(agents, providers), ...findRequiredCycles(agents, providers)];
}

/** The spec's providers an alternative could resolve to: capability, version range and tags. */
export function matchingProviders(
  dependency: DependencyAlternative,
  candidates: readonly Provider[],
): Provider[] {
  const translated = npmRange(dependency.version);
  const range = translated.ok ? semver.validRange(translated.range) : null;
  return candidates.filter(
    ({ tool }) =>
      // npm's prerelease rule, as the registry resolves: `^1.4` does not admit 1.5.0-beta.1.
      (range === null || semver.satisfies(tool.version, range)) &&
      dependency.tags.every((tag) => tagHolds(tag, tool.tags)),
  );
}

function tagHolds(tag: DependencyTag, carried: readonly string[]): boolean {
  if (typeof tag !== 'string') return tag.some((option) => carried.includes(option));
  if (tag.startsWith('+')) return true;
  if (tag.startsWith('-')) return !carried.includes(tag.slice(1));
  return carried.includes(tag);
}

/** A position's alternatives in order: the dependency itself, then its fallbacks. */
function alternativesOf(dependency: DependencyMetadata): readonly DependencyAlternative[] {
  return [dependency, ...(dependency.fallbacks ?? [])];
}

/** The providers of the first alternative that has any, as the registry would choose. */
function positionProviders(
  dependency: DependencyMetadata,
  providers: Map<string, Provider[]>,
): Provider[] {
  for (const alternative of alternativesOf(dependency)) {
    const matching = matchingProviders(alternative, providers.get(alternative.capability) ?? []);
    if (matching.length > 0) return matching;
  }
  return [];
}

function formatTags(tags: readonly DependencyTag[]): string {
  return `[${tags.map((tag) => (typeof tag === 'string' ? tag : `[${tag.join(', ')}]`)).join(', ')}]`;
}

function findUnprovided(
  agents: readonly LocatedAgent[],
  providers: Map<string, Provider[]>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const agent of agents) {
    agent.metadata.tools.forEach((tool, toolIndex) => {
      tool.dependencies.forEach((dependency, index) => {
        if (positionProviders(dependency, providers).length > 0) return;
        const alternatives = alternativesOf(dependency);
        const provided = alternatives.find(({ capability }) => providers.has(capability));
        const candidates = provided ? (providers.get(provided.capability) ?? []) : [];
        const message = !provided
          ? `no agent in this spec provides capability ${alternatives.map(({ capability }) => `"${capability}"`).join(' or ')} needed by tool "${tool.name}"; it must come from another spec at run time`
          : `capability "${provided.capability}" is provided by ${candidates.map(({ agent: name, tool: provider }) => `${name}.${provider.name}@${provider.version} [${provider.tags.join(', ')}]`).join(', ')}, but none matches version "${provided.version}" and tags ${formatTags(provided.tags)}`;
        diagnostics.push(
          agent.file.diagnostic(
            dependencyPath(agent, toolIndex, index),
            'warning',
            'unprovided-dependency',
            message,
          ),
        );
      });
    });
  }
  return diagnostics;
}

interface Edge {
  readonly to: string;
  readonly agent: LocatedAgent;
  readonly toolIndex: number;
  readonly dependencyIndex: number;
}

function findRequiredCycles(
  agents: readonly LocatedAgent[],
  providers: Map<string, Provider[]>,
): Diagnostic[] {
  const edges = new Map<string, Edge[]>();
  for (const agent of agents) {
    agent.metadata.tools.forEach((tool, toolIndex) => {
      const from = `${agent.metadata.name}.${tool.name}`;
      const list: Edge[] = [];
      tool.dependencies.forEach((dependency, dependencyIndex) => {
        if (!dependency.required) return;
        for (const provider of positionProviders(dependency, providers)) {
          list.push({
            to: `${provider.agent}.${provider.tool.name}`,
            agent,
            toolIndex,
            dependencyIndex,
          });
        }
      });
      edges.set(from, list);
    });
  }

  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const edge of edges.get(node) ?? []) {
      const status = state.get(edge.to);
      if (status === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(edge.to)), edge.to];
        const key = [...cycle.slice(0, -1)].sort().join(' ');
        if (reported.has(key)) continue;
        reported.add(key);
        diagnostics.push(
          edge.agent.file.diagnostic(
            dependencyPath(edge.agent, edge.toolIndex, edge.dependencyIndex),
            'error',
            'dependency-cycle',
            `required dependencies form a cycle: ${cycle.join(' -> ')}; none of these tools could ever become available. Mark one of them required: false`,
          ),
        );
      } else if (status === undefined) {
        visit(edge.to);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) {
    if (!state.has(node)) visit(node);
  }
  return diagnostics;
}
