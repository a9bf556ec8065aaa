import type { AgentMetadata } from '@mcp-mesh/runtime';
import { UriTemplate } from '@modelcontextprotocol/server';
import { propertyKey } from './names.js';

/** Names that can be completed, by owner (a prompt or a resource template), in spec order. */
type Completable = readonly (readonly [owner: string, names: readonly string[]])[];

/** What an agent can complete: each prompt's arguments, each resource template's variables. */
export interface AgentCompletables {
  readonly prompts: Completable;
  readonly resources: Completable;
}

/** The agent's completables; undefined when it has none (no member, no import). */
export function completablesOf(agent: AgentMetadata): AgentCompletables | undefined {
  const prompts = agent.prompts
    .filter((prompt) => prompt.arguments.length > 0)
    .map((prompt) => [prompt.name, prompt.arguments.map((argument) => argument.name)] as const);
  const resources = agent.resources
    .flatMap((resource) =>
      resource.uriTemplate === undefined
        ? []
        : [[resource.name, new UriTemplate(resource.uriTemplate).variableNames] as const],
    )
    .filter(([, variables]) => variables.length > 0);
  return prompts.length === 0 && resources.length === 0 ? undefined : { prompts, resources };
}

/**
 * The optional `completions` member of a handlers interface, naming exactly what the spec lets be
 * completed, so a misspelt prompt, argument or variable fails to compile (defineAgent would
 * reject it at start-up otherwise). Written as text, like the other handler groups.
 */
export function completionsMember(completables: AgentCompletables, handlerType: string): string {
  const group = (name: string, owners: Completable) =>
    owners.length === 0
      ? []
      : [
          `    readonly ${name}?: {`,
          ...owners.map(
            ([owner, names]) =>
              `      readonly ${propertyKey(owner)}?: { ${names.map((each) => `readonly ${propertyKey(each)}?: ${handlerType};`).join(' ')} };`,
          ),
          '    };',
        ];
  return [
    '  /** Suggestions for prompt arguments and resource-template variables (`completion/complete`); each is optional. */',
    '  readonly completions?: {',
    ...group('prompts', completables.prompts),
    ...group('resources', completables.resources),
    '  };',
  ].join('\n');
}
