import type { ToolMetadata } from '@mcp-mesh/runtime';
import { agentNames, proxyNames, toolTypeNames } from './generated-names.js';
import { generatedHeader } from './header.js';
import { TypeDeclarations } from './schema-types.js';
import { buildTypeScript, runtimeImports } from './typescript-file.js';

/** A provider of the capability found in the spec. */
export interface SpecProvider {
  /** The agent's name, or the plain server's. */
  readonly agent: string;
  readonly tool: ToolMetadata;
  /** A plain MCP server (`servers:`): it has no agent stub, so the proxy holds its types. */
  readonly plain?: boolean;
}

/**
 * The typed proxy of one capability: its call signature from the provider's schemas and its
 * defaults from the provider's kwargs. With no provider in the spec the types stay open
 * (`Record<string, unknown>` in, `unknown` out) and the registry supplies the settings.
 */
export async function emitCapabilityProxy(
  capability: string,
  provider: SpecProvider | undefined,
  source: string,
  runtimeImport: string,
): Promise<{ path: string; content: string }> {
  const names = proxyNames(capability);
  const types = new TypeDeclarations();
  const origin = `proxy of ${capability}`;
  // A provider in the spec already has its types in its agent stub: alias them, so the two
  // can never disagree and each schema is converted once.
  const providerTypes = provider && !provider.plain ? toolTypeNames(provider.tool) : undefined;
  if (provider?.plain) {
    const where = `${provider.agent}.${provider.tool.name}`;
    await types.addSchema(names.input, provider.tool.inputSchema, where);
    if (provider.tool.outputSchema) {
      await types.addSchema(names.output, provider.tool.outputSchema, where);
    } else {
      types.add(
        names.output,
        `/** ${where} declares no output schema: any JSON value or text. */\nexport type ${names.output} = unknown;`,
        origin,
      );
    }
  } else if (providerTypes) {
    types.add(
      names.input,
      `/** Arguments of \`${capability}\`. */\nexport type ${names.input} = provider.${providerTypes.input};`,
      origin,
    );
    types.add(
      names.output,
      `/** Result of \`${capability}\`. */\nexport type ${names.output} = provider.${providerTypes.output};`,
      origin,
    );
  } else {
    types.add(
      names.input,
      `/** No provider of ${capability} in the spec: arguments are not typed. */\nexport type ${names.input} = Record<string, unknown>;`,
      origin,
    );
    types.add(
      names.output,
      `/** No provider of ${capability} in the spec: any JSON value or text. */\nexport type ${names.output} = unknown;`,
      origin,
    );
  }
  const providedBy = provider
    ? `${provider.agent}.${provider.tool.name}@${provider.tool.version}`
    : 'no agent of the spec';
  const runtime = runtimeImports(
    [
      { name: 'CapabilityProxy', isTypeOnly: true },
      { name: 'ProxyDefaults', isTypeOnly: true },
    ],
    [...types.names(), names.proxy, names.defaults],
  );
  const content = buildTypeScript(generatedHeader(source), (file) => {
    file.addImportDeclaration({ moduleSpecifier: runtimeImport, namedImports: runtime.specifiers });
    if (providerTypes && provider) {
      file.addImportDeclaration({
        isTypeOnly: true,
        namespaceImport: 'provider',
        moduleSpecifier: `../${agentNames(provider.agent).file.replace(/\.ts$/, '.js')}`,
      });
    }
    file.addStatements(types.texts().join('\n\n'));
    file.addTypeAlias({
      name: names.proxy,
      isExported: true,
      docs: [`Calls capability \`${capability}\` (in the spec: ${providedBy}).`],
      type: `${runtime.use('CapabilityProxy')}<${names.input}, ${names.output}>`,
    });
    file.addConstant({
      name: names.defaults,
      type: runtime.use('ProxyDefaults'),
      doc: `Settings of \`${capability}\` from the spec, used until the registry sends the live provider's own; results are checked against its output schema.`,
      value: {
        capability,
        ...(provider ? { provider: `${provider.agent}.${provider.tool.name}` } : {}),
        kwargs: provider?.tool.kwargs ?? {},
        // Remote results are checked against it: the output type above is made from it.
        ...(provider?.tool.outputSchema ? { output: provider.tool.outputSchema } : {}),
      },
    });
  });
  return { path: names.file, content };
}
