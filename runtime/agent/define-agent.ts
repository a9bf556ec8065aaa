import { UriTemplate } from '@modelcontextprotocol/server';
import type { AgentMetadata } from '../metadata.js';
import type { AgentHandlers } from './handlers.js';
import type { ProxyDefaults } from './proxy.js';

/** An agent ready to run: its metadata, its handler bodies, and its dependencies' defaults. */
export interface AgentDefinition<Handlers extends AgentHandlers = AgentHandlers> {
  readonly metadata: AgentMetadata;
  readonly handlers: Handlers;
  /** Kwargs of each dependency's provider as the spec knows them, by capability. */
  readonly proxyDefaults: { readonly [capability: string]: ProxyDefaults };
}

/**
 * Binds handler bodies to an agent's metadata. Generated `define<Agent>()` functions call it;
 * code-first agents may call it directly.
 *
 * @throws Error when a tool, resource or prompt has no handler, a handler names none, or a
 * completion handler names a prompt argument or resource-template variable the spec does not
 * declare.
 * @example
 * const agent = defineAgent({ metadata, handlers: { tools: { greet: ({ name }) => `Hello ${name}` } }, proxyDefaults: {} });
 */
export function defineAgent<Handlers extends AgentHandlers>(
  definition: AgentDefinition<Handlers>,
): AgentDefinition<Handlers> {
  const { metadata, handlers } = definition;
  checkCoverage('tool', metadata.tools, handlers.tools, metadata.name);
  checkCoverage('resource', metadata.resources, handlers.resources ?? {}, metadata.name);
  checkCoverage('prompt', metadata.prompts, handlers.prompts ?? {}, metadata.name);
  checkCompletions(metadata, handlers);
  return Object.freeze({ ...definition });
}

/** Completion handlers must name what the spec declares: prompt arguments, template variables. */
function checkCompletions(metadata: AgentMetadata, handlers: AgentHandlers): void {
  const { prompts = {}, resources = {} } = handlers.completions ?? {};
  const where = `agent "${metadata.name}" has a completion handler for`;
  for (const [name, byArgument] of Object.entries(prompts)) {
    const prompt = metadata.prompts.find((candidate) => candidate.name === name);
    if (!prompt) throw new Error(`${where} prompt "${name}", which its spec does not declare`);
    const declared = new Set(prompt.arguments.map((argument) => argument.name));
    for (const argument of Object.keys(byArgument)) {
      if (!declared.has(argument)) {
        throw new Error(
          `${where} argument "${argument}" of prompt "${name}", which declares ${listOf(declared)}`,
        );
      }
    }
  }
  for (const [name, byVariable] of Object.entries(resources)) {
    const resource = metadata.resources.find((candidate) => candidate.name === name);
    if (resource?.uriTemplate === undefined) {
      throw new Error(
        `${where} resource "${name}", which ${resource ? 'has a fixed uri, not a uri_template' : 'its spec does not declare'}`,
      );
    }
    const declared = new Set(new UriTemplate(resource.uriTemplate).variableNames);
    for (const variable of Object.keys(byVariable)) {
      if (!declared.has(variable)) {
        throw new Error(
          `${where} variable "${variable}" of resource "${name}", whose template ${resource.uriTemplate} has ${listOf(declared)}`,
        );
      }
    }
  }
}

function listOf(names: ReadonlySet<string>): string {
  return names.size === 0 ? 'none' : [...names].map((name) => `"${name}"`).join(', ');
}

function checkCoverage(
  kind: string,
  declared: readonly { readonly name: string }[],
  handlers: { readonly [name: string]: unknown },
  agent: string,
): void {
  const names = new Set(declared.map((entry) => entry.name));
  for (const name of names) {
    if (typeof handlers[name] !== 'function') {
      throw new Error(
        `agent "${agent}" declares ${kind} "${name}" but no handler was given for it; add ${kind}s.${name} to the handlers`,
      );
    }
  }
  for (const name of Object.keys(handlers)) {
    if (!names.has(name)) {
      throw new Error(
        `agent "${agent}" has a handler for ${kind} "${name}", which its spec does not declare; declare it in the spec or remove the handler`,
      );
    }
  }
}
