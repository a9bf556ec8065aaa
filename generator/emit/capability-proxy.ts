import type { ToolMetadata } from '../../runtime/metadata.js';
import { generatedHeader } from './header.js';
import { camelCaseName, kebabCase, pascalCase } from './names.js';
import { TypeDeclarations } from './schema-types.js';
import { buildTypeScript, runtimeImports, typescriptLiteral } from './typescript-file.js';

/** Names of what a capability's proxy module exports. */
export function proxyNames(capability: string) {
  const base = pascalCase(capability);
  return {
    file: `proxies/${kebabCase(capability)}.ts`,
    input: `${base}Input`,
    output: `${base}Output`,
    proxy: `${base}Proxy`,
    defaults: `${camelCaseName(capability)}Defaults`,
  };
}

/** A provider of the capability found in the spec. */
export interface SpecProvider {
  readonly agent: string;
  readonly tool: ToolMetadata;
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
  if (provider) {
    await types.addSchema(names.input, provider.tool.inputSchema, origin);
  } else {
    types.add(
      names.input,
      `/** No provider of ${capability} in the spec: arguments are not typed. */\nexport type ${names.input} = Record<string, unknown>;`,
      origin,
    );
  }
  if (provider?.tool.outputSchema) {
    await types.addSchema(names.output, provider.tool.outputSchema, origin);
  } else {
    types.add(
      names.output,
      `/** The provider declares no output schema: any JSON value or text. */\nexport type ${names.output} = unknown;`,
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
    file.addStatements(types.texts().join('\n\n'));
    file.addTypeAlias({
      name: names.proxy,
      isExported: true,
      docs: [`Calls capability \`${capability}\` (in the spec: ${providedBy}).`],
      type: `${runtime.use('CapabilityProxy')}<${names.input}, ${names.output}>`,
    });
    file.addVariableStatement({
      isExported: true,
      declarationKind: 'const' as never,
      docs: [
        `Settings of \`${capability}\` from the spec, used until the registry sends the live provider's own.`,
      ],
      declarations: [
        {
          name: names.defaults,
          type: runtime.use('ProxyDefaults'),
          initializer: typescriptLiteral({
            capability,
            ...(provider ? { provider: `${provider.agent}.${provider.tool.name}` } : {}),
            kwargs: provider?.tool.kwargs ?? {},
          }),
        },
      ],
    });
  });
  return { path: names.file, content };
}
