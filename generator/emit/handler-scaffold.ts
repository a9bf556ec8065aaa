import type { AgentMetadata } from '@mcp-mesh/runtime';
import { agentNames } from './generated-names.js';
import { kebabCase, propertyKey } from './names.js';

/**
 * The starting point of an agent's handler file: every tool, resource and prompt with an
 * empty body. Written once; the generator never touches it again.
 */
export function emitHandlerScaffold(
  agent: AgentMetadata,
  stubImport: string,
  rest?: { readonly module: string; readonly tools: string },
): { path: string; content: string } {
  const names = agentNames(agent.name);
  if (rest)
    return { path: `${kebabCase(agent.name)}.ts`, content: restScaffold(agent, stubImport, rest) };
  const tools = agent.tools.map(
    (tool) =>
      `    async ${propertyKey(tool.name)}(input, dependencies, context) {\n      // Write the body of ${tool.name} here.\n      throw new Error('${tool.name} is not implemented yet');\n    },`,
  );
  const resources = agent.resources.map(
    (resource) =>
      `    async ${propertyKey(resource.name)}(uri, variables, context) {\n      throw new Error('resource ${resource.name} is not implemented yet');\n    },`,
  );
  const prompts = agent.prompts.map(
    (prompt) =>
      `    async ${propertyKey(prompt.name)}(args, context) {\n      throw new Error('prompt ${prompt.name} is not implemented yet');\n    },`,
  );
  const groups = [
    ['tools', tools],
    ['resources', resources],
    ['prompts', prompts],
  ] as const;
  const body = groups
    .filter(([group, entries]) => group === 'tools' || entries.length > 0)
    .map(([group, entries]) => `  ${group}: {\n${entries.join('\n')}\n  },`)
    .join('\n');
  const content = `// The handler bodies of agent ${agent.name}. Scaffolded once by mcp-mesh; this file is yours.
import { ${names.define} } from '${stubImport}';

export default ${names.define}({
${body}
});
`;
  return { path: `${kebabCase(agent.name)}.ts`, content };
}

// An agent in front of a REST service runs as generated: every tool body calls the service.
function restScaffold(
  agent: AgentMetadata,
  stubImport: string,
  rest: { readonly module: string; readonly tools: string },
): string {
  const names = agentNames(agent.name);
  return `// The handler bodies of agent ${agent.name}. Scaffolded once by mcp-mesh; this file is yours.
import { ${names.define} } from '${stubImport}';
import { ${rest.tools} } from '${rest.module}';

export default ${names.define}({
  tools: {
    // Every tool calls the REST service; to replace one, write its body after this line.
    ...${rest.tools}(),
  },
});
`;
}
