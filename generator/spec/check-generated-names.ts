import { kebabCase, pascalCase } from '../emit/names.js';
import type { Diagnostic } from './diagnostic.js';
import { dependencyPath, type LocatedAgent, type SpecLocator, toolPath } from './located.js';
import type { SpecPath } from './source-file.js';

interface Claim {
  readonly name: string;
  readonly file: SpecLocator;
  readonly path: SpecPath;
}

/**
 * Distinct spec names must stay distinct once turned into generated names: tool type names
 * within an agent (`get_weather` and `getWeather` both give `GetWeatherInput`), and file names
 * of agent stubs and capability proxies (`date_service` and `date-service` both give
 * `date-service.ts`). Otherwise one generated declaration or file would silently replace another.
 */
export function checkGeneratedNames(agents: readonly LocatedAgent[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const agentFiles = new Map<string, Claim>();
  const proxyFiles = new Map<string, Claim>();
  for (const agent of agents) {
    const { file, metadata } = agent;
    claim(
      agentFiles,
      kebabCase(metadata.name),
      { name: metadata.name, file, path: [...agent.path, 'name'] },
      'agent',
      `agents/${kebabCase(metadata.name)}.ts`,
      diagnostics,
    );
    const toolTypes = new Map<string, Claim>();
    metadata.tools.forEach((tool, toolIndex) => {
      claim(
        toolTypes,
        pascalCase(tool.name),
        { name: tool.name, file, path: [...toolPath(agent, toolIndex), 'name'] },
        'tool',
        `${pascalCase(tool.name)}Input`,
        diagnostics,
      );
      tool.dependencies.forEach((dependency, index) => {
        for (const { capability } of [dependency, ...(dependency.fallbacks ?? [])]) {
          claim(
            proxyFiles,
            kebabCase(capability),
            { name: capability, file, path: dependencyPath(agent, toolIndex, index) },
            'capability',
            `proxies/${kebabCase(capability)}.ts`,
            diagnostics,
          );
        }
      });
    });
  }
  return diagnostics;
}

function claim(
  claims: Map<string, Claim>,
  generated: string,
  claimant: Claim,
  kind: string,
  shown: string,
  diagnostics: Diagnostic[],
): void {
  const existing = claims.get(generated);
  if (!existing) {
    claims.set(generated, claimant);
    return;
  }
  if (existing.name === claimant.name) return;
  const first = existing.file.diagnostic(existing.path, 'error', 'name-collision', '');
  diagnostics.push(
    claimant.file.diagnostic(
      claimant.path,
      'error',
      'name-collision',
      `${kind} "${claimant.name}" and ${kind} "${existing.name}" (at ${first.file}:${first.line}:${first.column}) would both generate ${shown}; rename one of them`,
    ),
  );
}
