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
 * @throws Error when a tool, resource or prompt has no handler, or a handler names none.
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
  return Object.freeze({ ...definition });
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
