import { pathToFileURL } from 'node:url';
import type { AgentMetadata, ToolMetadata } from '@mcp-mesh/runtime';
import type { RestBinding, RestOperation } from '../../openapi/rest-binding.js';
import { agentNames, toolTypeNames } from '../generated-names.js';
import { generatedHeader } from '../header.js';
import { camelCaseName, kebabCase, propertyKey } from '../names.js';
import { restCallFile } from './rest-call-helper.js';

/** Names of what an agent's REST module exports, shared with the scaffold that imports them. */
export function restNames(agent: string) {
  return {
    file: `rest/${kebabCase(agent)}.ts`,
    pathsFile: `rest/${kebabCase(agent)}.paths.ts`,
    tools: `${camelCaseName(agent)}RestTools`,
  };
}

/** The TypeScript types of the document (`paths`), by openapi-typescript. */
export async function emitRestPaths(
  agent: AgentMetadata,
  binding: RestBinding,
  source: string,
): Promise<{ path: string; content: string }> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(pathToFileURL(binding.document), {
    alphabetize: false,
    exportType: false,
    // Defaults do not make a property required: the tool input types see it the same way.
    defaultNonNullable: false,
    silent: true,
  });
  return {
    path: restNames(agent.name).pathsFile,
    content: `${generatedHeader(source)}\n${astToString(ast)}`,
  };
}

// Defaults when the tool's kwargs say nothing: the ones a proxy uses for a remote tool.
const defaultTimeoutSeconds = 30;

/**
 * The tool bodies of an agent that fronts a REST service: each calls its operation through
 * openapi-fetch, arguments placed in path, query, header and body as the document says, under
 * the tool's timeout and retry policy.
 */
export function emitRestTools(
  agent: AgentMetadata,
  binding: RestBinding,
  source: string,
): { path: string; content: string } {
  const names = restNames(agent.name);
  const stub = agentNames(agent.name);
  const byTool = new Map(binding.operations.map((operation) => [operation.tool, operation]));
  const bodies = agent.tools.map((tool) => toolBody(tool, byTool.get(tool.name) as RestOperation));
  const policies = agent.tools.map((tool) => policy(tool, byTool.get(tool.name) as RestOperation));
  const stubModule = `../${stub.file.replace(/\.ts$/, '.js')}`;
  const content = `${generatedHeader(source)}
import createClient from 'openapi-fetch';
import type { ${[stub.handlers, ...agent.tools.map((tool) => toolTypeNames(tool).output)].sort().join(', ')} } from '${stubModule}';
import type { paths } from './${kebabCase(agent.name)}.paths.js';
import { type RestPolicy, restBaseUrl, restCall } from './${restCallFile.replace(/^rest\//, '').replace(/\.ts$/, '.js')}';

/** Where the REST service of agent \`${agent.name}\` is: \`${binding.baseUrlEnv}\` when set, else the document's servers. */
export const ${camelCaseName(agent.name)}BaseUrlVariable = ${quote(binding.baseUrlEnv)};

// Each tool's kwargs as the REST call applies them.
const policies: Record<string, RestPolicy> = {
${policies.join('\n')}
};

export interface ${stub.handlers.replace(/Handlers$/, 'RestOptions')} {
  /** Overrides the environment variable and the document's servers. */
  readonly baseUrl?: string;
  /** The fetch to send requests with (tests, proxies, custom agents). */
  readonly fetch?: typeof fetch;
}

/**
 * Tool bodies that call the REST service: spread them into \`define${stub.define.replace(/^define/, '')}\`'s tools and
 * replace any one by writing its body beside them.
 */
export function ${names.tools}(options: ${stub.handlers.replace(/Handlers$/, 'RestOptions')} = {}): ${stub.handlers}['tools'] {
  let client: ReturnType<typeof createClient<paths>> | undefined;
  // Built on the first call, so that a missing base URL fails that call and not the agent's start.
  const rest = () => {
    client ??= createClient<paths>({
      baseUrl: options.baseUrl ?? restBaseUrl(${camelCaseName(agent.name)}BaseUrlVariable, ${quote(binding.baseUrl)}),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    return client;
  };
  return {
${bodies.join('\n')}
  };
}
`;
  return { path: names.file, content };
}

function policy(tool: ToolMetadata, operation: RestOperation): string {
  const kwargs = tool.kwargs as Record<string, unknown>;
  const seconds = (key: string, fallback: number) =>
    typeof kwargs[key] === 'number' ? (kwargs[key] as number) : fallback;
  const idempotent = ['get', 'head', 'options', 'put', 'delete', 'trace'].includes(
    operation.method,
  );
  return `  ${propertyKey(tool.name)}: { operation: ${quote(`${operation.method.toUpperCase()} ${operation.path}`)}, timeoutMs: ${Math.round(seconds('timeout', defaultTimeoutSeconds) * 1000)}, retryCount: ${seconds('retry_count', 0)}, retryDelayMs: ${Math.round(seconds('retry_delay', 0.1) * 1000)}, retryBackoff: ${seconds('retry_backoff', 2)}, idempotent: ${idempotent}, output: '${operation.output}' },`;
}

function toolBody(tool: ToolMetadata, operation: RestOperation): string {
  const hasInput = operation.parameters.length > 0 || operation.body;
  const groups = (['path', 'query', 'header'] as const)
    .map((location) => {
      const entries = operation.parameters
        .filter((parameter) => parameter.in === location)
        .map((parameter) => `${propertyKey(parameter.name)}: input[${quote(parameter.property)}]`);
      return entries.length === 0 ? '' : `${location}: { ${entries.join(', ')} }`;
    })
    .filter((group) => group !== '');
  const init = [
    ...(groups.length === 0 ? [] : [`params: { ${groups.join(', ')} }`]),
    ...(operation.body ? ['body: input.body'] : []),
    ...(operation.output === 'text' ? [`parseAs: 'text' as const`] : []),
    'signal',
  ];
  const method = operation.method.toUpperCase();
  return `    /** ${method} ${operation.path} */
    ${propertyKey(tool.name)}(${hasInput ? 'input' : '_input'}, _dependencies, context) {
      return restCall<${toolTypeNames(tool).output}>(policies[${quote(tool.name)}]!, context.signal, (signal) =>
        rest().${method}(${quote(operation.path)}, { ${init.join(', ')} }),
      );
    },`;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
