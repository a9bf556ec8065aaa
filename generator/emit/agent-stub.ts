import type {
  AgentMetadata,
  DependencyAlternative,
  DependencyMetadata,
  DependencyTag,
} from '@mcp-mesh/runtime';
import { completablesOf, completionsMember } from './completions-member.js';
import { agentNames, proxyNames, toolTypeNames } from './generated-names.js';
import { generatedHeader } from './header.js';
import { propertyKey } from './names.js';
import { TypeDeclarations } from './schema-types.js';
import { buildTypeScript, runtimeImports } from './typescript-file.js';

/**
 * The typed stub of one agent: input/output types per tool, the dependencies each handler
 * receives, the handlers interface, the agent's metadata and its `define<Agent>()` function.
 */
export async function emitAgentStub(
  agent: AgentMetadata,
  source: string,
  runtimeImport: string,
): Promise<{ path: string; content: string }> {
  const names = agentNames(agent.name);
  const types = new TypeDeclarations();
  for (const tool of agent.tools) {
    const typeNames = toolTypeNames(tool);
    await types.addSchema(typeNames.input, tool.inputSchema, `${agent.name}.${tool.name}`);
    if (tool.outputSchema) {
      await types.addSchema(typeNames.output, tool.outputSchema, `${agent.name}.${tool.name}`);
    } else {
      types.add(
        typeNames.output,
        `/** ${tool.name} declares no output schema: any JSON value or text. */\nexport type ${typeNames.output} = unknown;`,
        agent.name,
      );
    }
  }

  const capabilities = [
    ...new Set(
      agent.tools.flatMap((tool) =>
        tool.dependencies.flatMap((dependency) =>
          alternativesOf(dependency).map(({ capability }) => capability),
        ),
      ),
    ),
  ].sort();
  const runtimeTypes = ['AgentDefinition', 'AgentHandlers', 'AgentMetadata', 'ToolHandler'];
  if (agent.resources.length > 0) runtimeTypes.push('ResourceHandler');
  if (agent.prompts.length > 0) runtimeTypes.push('PromptHandler');
  const completables = completablesOf(agent);
  if (completables) runtimeTypes.push('CompletionHandler');
  const runtime = runtimeImports(
    [...runtimeTypes.map((name) => ({ name, isTypeOnly: true })), { name: 'defineAgent' }].sort(
      (a, b) => a.name.localeCompare(b.name),
    ),
    [
      ...types.names(),
      ...agent.tools.map((tool) => toolTypeNames(tool).dependencies),
      names.handlers,
      names.metadata,
      names.define,
    ],
  );
  const use = runtime.use;
  const proxyDefaults =
    capabilities.length === 0
      ? '{}'
      : `{ ${capabilities.map((capability) => `${propertyKey(capability)}: ${proxyNames(capability).defaults}`).join(', ')} }`;

  const content = buildTypeScript(generatedHeader(source), (file) => {
    file.addImportDeclaration({
      moduleSpecifier: runtimeImport,
      namedImports: runtime.specifiers,
    });
    for (const capability of capabilities) {
      const proxy = proxyNames(capability);
      file.addImportDeclaration({
        moduleSpecifier: `../${proxy.file.replace(/\.ts$/, '.js')}`,
        namedImports: [{ name: proxy.defaults }, { name: proxy.proxy, isTypeOnly: true }],
      });
    }
    file.addStatements(types.texts().join('\n\n'));
    for (const tool of agent.tools) {
      const name = toolTypeNames(tool).dependencies;
      if (tool.dependencies.length === 0) {
        file.addTypeAlias({
          name,
          isExported: true,
          docs: [`\`${tool.name}\` has no dependencies.`],
          type: 'Record<string, never>',
        });
        continue;
      }
      file.addInterface({
        name,
        isExported: true,
        docs: [
          `What \`${tool.name}\` receives injected: each dependency's proxy, or \`undefined\` while no provider is resolved.`,
        ],
        properties: tool.dependencies.map((dependency) => ({
          name: propertyKey(dependency.parameter),
          isReadonly: true,
          type: `${proxyType(dependency)} | undefined`,
          docs: [describeDependency(dependency)],
        })),
      });
    }
    const handlerGroups: [string, string][] = [
      [
        'tools',
        objectType(
          agent.tools.map((tool) => {
            const typeNames = toolTypeNames(tool);
            return [
              tool.name,
              `${use('ToolHandler')}<${typeNames.input}, ${typeNames.output}, ${typeNames.dependencies}>`,
              tool.description,
            ];
          }),
        ),
      ],
    ];
    if (agent.resources.length > 0) {
      handlerGroups.push([
        'resources',
        objectType(
          agent.resources.map((resource) => [
            resource.name,
            use('ResourceHandler'),
            resource.description,
          ]),
        ),
      ]);
    }
    if (agent.prompts.length > 0) {
      handlerGroups.push([
        'prompts',
        objectType(
          agent.prompts.map((prompt) => [prompt.name, use('PromptHandler'), prompt.description]),
        ),
      ]);
    }
    // Written as text: the structure printer would add a hanging indent to multi-line types.
    file.addStatements(
      [
        `/** The bodies to write for agent \`${agent.name}\`. */`,
        `export interface ${names.handlers} extends ${use('AgentHandlers')} {`,
        ...handlerGroups.map(([group, type]) => `  readonly ${group}: ${type};`),
        ...(completables ? [completionsMember(completables, use('CompletionHandler'))] : []),
        '}',
      ].join('\n'),
    );
    file.addConstant({
      name: names.metadata,
      type: use('AgentMetadata'),
      doc: `Agent \`${agent.name}\` as its spec declares it.`,
      value: agent,
    });
    file.addFunction({
      name: names.define,
      isExported: true,
      docs: [
        `Binds the handler bodies of agent \`${agent.name}\` to its spec; the result is what \`meshctl start\` runs.`,
      ],
      parameters: [{ name: 'handlers', type: names.handlers }],
      returnType: `${use('AgentDefinition')}<${names.handlers}>`,
      statements: `return ${use('defineAgent')}({ metadata: ${names.metadata}, handlers, proxyDefaults: ${proxyDefaults} });`,
    });
  });
  return { path: names.file, content };
}

function alternativesOf(dependency: DependencyMetadata): readonly DependencyAlternative[] {
  return [dependency, ...(dependency.fallbacks ?? [])];
}

// One alternative: its proxy. Several: any of theirs, each marked with its capability so that a
// handler tells which one it received by `proxy.capability`.
function proxyType(dependency: DependencyMetadata): string {
  const alternatives = alternativesOf(dependency);
  if (alternatives.length === 1) return proxyNames(dependency.capability).proxy;
  const capabilities = [...new Set(alternatives.map(({ capability }) => capability))];
  return capabilities
    .map(
      (capability) =>
        // Capability names are letters, digits, `_` and `-`: safe inside quotes.
        `(${proxyNames(capability).proxy} & { readonly capability: '${capability}' })`,
    )
    .join(' | ');
}

function describeDependency(dependency: DependencyMetadata): string {
  const required = dependency.required ? ', required' : '';
  return `${alternativesOf(dependency).map(describeAlternative).join('; else ')}${required}.`;
}

function describeAlternative(alternative: DependencyAlternative): string {
  const tags =
    alternative.tags.length > 0 ? `, tags ${alternative.tags.map(describeTag).join(' ')}` : '';
  return `\`${alternative.capability}\` ${alternative.version}${tags}`;
}

function describeTag(tag: DependencyTag): string {
  return typeof tag === 'string' ? tag : `[${tag.join(', ')}]`;
}

/** An object type whose members sit one level inside an interface member. */
function objectType(entries: readonly (readonly [string, string, string | undefined])[]): string {
  const lines = entries.map(([name, type, description]) => {
    const doc = description ? `    /** ${description.replace(/\*\//g, '*\\/')} */\n` : '';
    return `${doc}    readonly ${propertyKey(name)}: ${type};`;
  });
  return `{\n${lines.join('\n')}\n  }`;
}
