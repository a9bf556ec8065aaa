import type { ToolMetadata } from '@mcp-mesh/runtime';
import { camelCaseName, kebabCase, pascalCase } from './names.js';

// The names that one generated file exports and another imports, in one place so that the
// two sides can never disagree.

/** Names of what the agent stub exports, shared with the scaffold that imports them. */
export function agentNames(agent: string) {
  return {
    file: `agents/${kebabCase(agent)}.ts`,
    handlers: `${pascalCase(agent)}Handlers`,
    metadata: `${camelCaseName(agent)}Metadata`,
    define: `define${pascalCase(agent)}`,
  };
}

/** Names of the types generated for one tool. */
export function toolTypeNames(tool: ToolMetadata) {
  const base = pascalCase(tool.name);
  return { input: `${base}Input`, output: `${base}Output`, dependencies: `${base}Dependencies` };
}

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
