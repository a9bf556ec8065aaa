import {
  type CompleteRequest,
  type CompleteResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import type { CompletionHandler } from '../agent/completions.js';
import type { AgentDefinition } from '../agent/define-agent.js';

/** The most values one `completion/complete` answer may carry (the protocol's limit). */
const maxValues = 100;

type HandlersByName = ReadonlyMap<string, ReadonlyMap<string, CompletionHandler>>;

/**
 * An agent's `completion/complete`: the completion handlers it was given, looked up by prompt and
 * argument, or by resource template (its URI template, which is what clients send) and variable.
 * Arguments without a handler complete to nothing; a prompt or template the agent does not serve
 * is an invalid request, as with the SDK's own completion.
 */
export class Completions {
  private readonly prompts: HandlersByName;
  private readonly templates: HandlersByName;
  private readonly fixedUris: ReadonlySet<string>;
  private readonly promptNames: ReadonlySet<string>;

  constructor(definition: AgentDefinition) {
    const { metadata, handlers } = definition;
    const given = handlers.completions;
    this.promptNames = new Set(metadata.prompts.map((prompt) => prompt.name));
    this.prompts = new Map(
      Object.entries(given?.prompts ?? {}).map(([name, byArgument]) => [
        name,
        new Map(Object.entries(byArgument)),
      ]),
    );
    this.templates = new Map(
      metadata.resources.flatMap((resource) =>
        resource.uriTemplate === undefined
          ? []
          : [
              [
                resource.uriTemplate,
                new Map(Object.entries(given?.resources?.[resource.name] ?? {})),
              ] as const,
            ],
      ),
    );
    this.fixedUris = new Set(
      metadata.resources.flatMap((resource) => (resource.uri === undefined ? [] : [resource.uri])),
    );
  }

  /** Whether the agent was given any completion handler (and so declares `completions`). */
  get offered(): boolean {
    return [...this.prompts.values(), ...this.templates.values()].some((byName) => byName.size > 0);
  }

  /** Answers `completion/complete` on `server`; call before it connects. */
  install(server: McpServer): void {
    server.server.setRequestHandler('completion/complete', (request, ctx) =>
      this.complete(request.params, ctx.mcpReq.signal),
    );
  }

  private async complete(
    params: CompleteRequest['params'],
    signal: AbortSignal,
  ): Promise<CompleteResult> {
    const handler = this.handlerFor(params.ref, params.argument.name);
    if (!handler) return { completion: { values: [] } };
    const values = await handler(params.argument.value, {
      arguments: params.context?.arguments ?? {},
      signal,
    });
    return {
      completion: {
        values: values.slice(0, maxValues),
        total: values.length,
        hasMore: values.length > maxValues,
      },
    };
  }

  private handlerFor(
    ref: CompleteRequest['params']['ref'],
    argument: string,
  ): CompletionHandler | undefined {
    if (ref.type === 'ref/prompt') {
      if (!this.promptNames.has(ref.name)) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${ref.name} not found`);
      }
      return this.prompts.get(ref.name)?.get(argument);
    }
    if (this.fixedUris.has(ref.uri)) return undefined;
    const byVariable = this.templates.get(ref.uri);
    if (!byVariable) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Resource template ${ref.uri} not found`,
      );
    }
    return byVariable.get(argument);
  }
}
