import { dirname, join, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import { emitAgentStub } from './emit/agent-stub.js';
import { emitCapabilityProxy, type SpecProvider } from './emit/capability-proxy.js';
import { emitHandlerScaffold } from './emit/handler-scaffold.js';
import { emitRestCallHelper } from './emit/rest/rest-call-helper.js';
import { emitRestPaths, emitRestTools, restNames } from './emit/rest/rest-tools.js';
import type { Output } from './outputs.js';
import type { MeshModel } from './spec/validate-spec.js';

export interface MeshTarget {
  /** Folder of the generated code (owned by the generator). */
  readonly outDirectory: string;
  /** Folder of the handler files, scaffolded once. */
  readonly handlersDirectory: string;
  /** Module the generated code imports the runtime from. */
  readonly runtimeImport: string;
  /** Folder that `agent.source` paths are relative to. */
  readonly cwd: string;
}

/**
 * Everything a valid mesh spec produces: an agent stub per agent, a proxy per capability some
 * tool depends on, and a handler scaffold per agent.
 */
export async function planMesh(model: MeshModel, target: MeshTarget): Promise<Output[]> {
  const outDirectory = resolve(target.cwd, target.outDirectory);
  const handlersDirectory = resolve(target.cwd, target.handlersDirectory);
  const sourceFor = (specFile: string, generatedFile: string) =>
    toPosix(relative(dirname(generatedFile), resolve(target.cwd, specFile)));
  const outputs: Output[] = [];

  for (const agent of model.agents) {
    const { source, rest, ...metadata } = agent;
    const stubPath = join(outDirectory, `agents/${placeholder}`);
    const stub = await emitAgentStub(metadata, sourceFor(source, stubPath), target.runtimeImport);
    const path = join(outDirectory, stub.path);
    outputs.push({ path, content: stub.content, kind: 'generated' });
    let restModule: { module: string; tools: string } | undefined;
    if (rest) {
      const restSource = sourceFor(source, join(outDirectory, `rest/${placeholder}`));
      const paths = await emitRestPaths(metadata, rest, restSource);
      const tools = emitRestTools(metadata, rest, restSource);
      outputs.push(
        { path: join(outDirectory, paths.path), content: paths.content, kind: 'generated' },
        { path: join(outDirectory, tools.path), content: tools.content, kind: 'generated' },
      );
      restModule = {
        module: importPath(handlersDirectory, join(outDirectory, tools.path)),
        tools: restNames(metadata.name).tools,
      };
    }
    const scaffold = emitHandlerScaffold(metadata, importPath(handlersDirectory, path), restModule);
    outputs.push({
      path: join(handlersDirectory, scaffold.path),
      content: scaffold.content,
      kind: 'scaffold',
    });
  }

  const restSources = model.agents.filter((agent) => agent.rest).map((agent) => agent.source);
  if (restSources.length > 0) {
    // One helper for all REST-backed agents of this out directory; its header names the first.
    const helperPath = join(outDirectory, `rest/${placeholder}`);
    const helper = emitRestCallHelper(sourceFor([...restSources].sort()[0] as string, helperPath));
    outputs.push({
      path: join(outDirectory, helper.path),
      content: helper.content,
      kind: 'generated',
    });
  }

  const dependents = new Map<string, string>();
  for (const agent of model.agents) {
    for (const tool of agent.tools) {
      for (const dependency of tool.dependencies) {
        for (const { capability } of [dependency, ...(dependency.fallbacks ?? [])]) {
          if (!dependents.has(capability)) dependents.set(capability, agent.source);
        }
      }
    }
  }
  for (const capability of [...dependents.keys()].sort()) {
    const provider = bestProvider(model, capability);
    const proxyPath = join(outDirectory, `proxies/${placeholder}`);
    const specFile = provider ? provider.source : (dependents.get(capability) as string);
    const proxy = await emitCapabilityProxy(
      capability,
      provider,
      sourceFor(specFile, proxyPath),
      target.runtimeImport,
    );
    outputs.push({
      path: join(outDirectory, proxy.path),
      content: proxy.content,
      kind: 'generated',
    });
  }
  return outputs;
}

// Generated files sit one folder below the out directory; the name itself does not matter
// for computing relative paths.
const placeholder = 'file.ts';

/**
 * The spec's provider whose schemas type the proxy, among agents and plain servers: highest
 * version, then by name.
 */
function bestProvider(
  model: MeshModel,
  capability: string,
): (SpecProvider & { source: string }) | undefined {
  const providers = [
    ...model.agents.map((agent) => ({ agent, plain: false })),
    ...model.servers.map((agent) => ({ agent, plain: true })),
  ].flatMap(({ agent, plain }) =>
    agent.tools
      .filter((tool) => tool.capability === capability)
      .map((tool) => ({ agent: agent.name, tool, source: agent.source, plain })),
  );
  providers.sort(
    (a, b) =>
      semver.rcompare(
        semver.valid(a.tool.version) ?? '0.0.0',
        semver.valid(b.tool.version) ?? '0.0.0',
      ) ||
      a.agent.localeCompare(b.agent) ||
      a.tool.name.localeCompare(b.tool.name),
  );
  return providers[0];
}

function importPath(fromDirectory: string, file: string): string {
  const path = toPosix(relative(fromDirectory, file)).replace(/\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
