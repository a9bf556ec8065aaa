import {
  type InputRequiredResult,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  type ServerContext,
  type StandardSchemaWithJSON,
  UriTemplate,
  type Variables,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { SessionAffinity } from '../affinity/session-affinity.js';
import type { ToolContext } from '../agent/context.js';
import type { AgentDefinition } from '../agent/define-agent.js';
import type { PromptHandler, ResourceHandler } from '../agent/handlers.js';
import { answerInputRequired } from '../agent/input-required.js';
import { runInCallScope } from '../context/call-scope.js';
import type { PromptMetadata, ResourceMetadata } from '../metadata.js';
import { untilAborted } from './abortable.js';
import { createCallContext, type Era, type LegacySessionState } from './call-context.js';
import { Completions } from './completions.js';
import { boundToExchange } from './exchange-bound-context.js';
import { promptResult, resourceResult } from './handler-results.js';
import { headerValue, openInboundCall } from './inbound-call.js';
import { lazyJsonSchemaCheck, sharedJsonSchemaValidator } from './json-schema.js';
import { createRequestStateSeal, type RequestStateSeal } from './request-state.js';
import type { ToolMetrics } from './tool-metrics.js';
import { ToolRunner } from './tool-runner.js';

export interface AgentSurfaceOptions {
  /** The registered id of this agent (replica). */
  readonly agentId: string;
  readonly dependencies: (
    toolName: string,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  readonly propagateHeaders: readonly string[];
  readonly logger: Logger;
  readonly metrics: ToolMetrics;
  /** Session affinity for `session_required`/`stateful` tools across replicas, when set. */
  readonly affinity?: SessionAffinity;
  /**
   * The key that signs multi-round `requestState` (at least 32 bytes), shared by every replica;
   * default: a random key of this process.
   */
  readonly requestStateKey?: string | Uint8Array;
}

/** The context a handler of one server gets for a request (see {@link boundToExchange}). */
type BindContext = (ctx: ServerContext) => ServerContext;

interface PreparedResource {
  readonly metadata: ResourceMetadata;
  readonly handler: ResourceHandler;
  /** The fixed URI as the SDK looks it up (URL-normalised), or undefined for a template. */
  readonly uri: string | undefined;
  readonly template: UriTemplate | undefined;
  readonly logger: Logger;
}

interface PreparedPrompt {
  readonly metadata: PromptMetadata;
  readonly handler: PromptHandler;
  readonly argsSchema: StandardSchemaWithJSON;
  readonly logger: Logger;
}

/**
 * An agent's MCP surface, prepared once (schemas compiled, handlers bound) and stamped onto an
 * `McpServer` per serving unit: one per 2025-era session, one per 2026-07-28 request.
 */
export class AgentSurface {
  readonly runner: ToolRunner;
  private readonly resources: readonly PreparedResource[];
  private readonly prompts: readonly PreparedPrompt[];
  private readonly subscribable: boolean;
  private readonly completions: Completions;
  private readonly requestState: RequestStateSeal;

  constructor(
    private readonly definition: AgentDefinition,
    private readonly options: AgentSurfaceOptions,
  ) {
    const { metadata, handlers } = definition;
    this.requestState = createRequestStateSeal(options.requestStateKey);
    this.runner = new ToolRunner(metadata.tools, handlers.tools, {
      agentName: metadata.name,
      agentId: options.agentId,
      requestState: this.requestState,
      dependencies: options.dependencies,
      propagateHeaders: options.propagateHeaders,
      logger: options.logger,
      metrics: options.metrics,
      ...(options.affinity ? { affinity: options.affinity } : {}),
    });
    this.resources = metadata.resources.map((resource) =>
      prepareResource(resource, definition, options.logger),
    );
    this.prompts = metadata.prompts.map((prompt) =>
      preparePrompt(prompt, definition, options.logger),
    );
    this.subscribable = metadata.resources.some((resource) => resource.subscribable === true);
    this.completions = new Completions(definition);
  }

  /**
   * Builds the `McpServer` serving one era; 2025-era servers keep per-session state in `session`.
   * A 2026-07-28 server may serve many requests one after another: its handlers get contexts bound
   * to their own request's exchange.
   */
  build(era: Era, session?: LegacySessionState): McpServer {
    const { metadata } = this.definition;
    const server = new McpServer(
      { name: metadata.name, version: metadata.version },
      {
        capabilities: {
          tools: { listChanged: false },
          logging: {},
          ...(this.resources.length > 0
            ? { resources: { listChanged: false, subscribe: this.subscribable } }
            : {}),
          ...(this.prompts.length > 0 ? { prompts: { listChanged: false } } : {}),
          ...(this.completions.offered ? { completions: {} } : {}),
        },
        ...(metadata.description ? { instructions: metadata.description } : {}),
        jsonSchemaValidator: sharedJsonSchemaValidator,
        // A forged or expired requestState is refused (-32602) before any handler runs.
        requestState: { verify: (state, ctx) => this.requestState.verify(state, ctx) },
      },
    );
    const bind: BindContext =
      era === 'modern' ? (ctx) => boundToExchange(server, ctx) : (ctx) => ctx;
    for (const tool of this.runner.tools.values()) {
      const { title, description, annotations } = tool.metadata;
      server.registerTool(
        tool.name,
        {
          ...(title === undefined ? {} : { title }),
          ...(description === undefined ? {} : { description }),
          inputSchema: tool.listedInput,
          ...(tool.listedOutput ? { outputSchema: tool.listedOutput } : {}),
          ...(annotations === undefined ? {} : { annotations }),
        },
        (args: unknown, ctx: ServerContext) =>
          this.runner.run(tool, args, { ctx: bind(ctx), era, session }),
      );
    }
    for (const resource of this.resources)
      this.registerResource(server, resource, era, session, bind);
    for (const prompt of this.prompts) this.registerPrompt(server, prompt, era, session, bind);
    if (this.completions.offered) this.completions.install(server);
    if (era === 'legacy' && session) {
      // Read when a handler asks for them: the client declares them at initialize, after this.
      session.clientCapabilities = () => server.server.getClientCapabilities();
      this.installSessionHandlers(server, session);
    }
    return server;
  }

  /** Whether a resource URI is one this agent serves (fixed, or matching a template). */
  servesResource(uri: string): ResourceMetadata | undefined {
    const normalised = normaliseUri(uri);
    for (const resource of this.resources) {
      if (resource.uri === normalised || resource.template?.match(uri)) return resource.metadata;
    }
    return undefined;
  }

  private registerResource(
    server: McpServer,
    resource: PreparedResource,
    era: Era,
    session: LegacySessionState | undefined,
    bind: BindContext,
  ): void {
    const { name, title, description, mimeType } = resource.metadata;
    const config = {
      ...(title === undefined ? {} : { title }),
      ...(description === undefined ? {} : { description }),
      ...(mimeType === undefined ? {} : { mimeType }),
    };
    const read = (uri: URL, variables: Variables, ctx: ServerContext) =>
      this.serve(bind(ctx), era, session, resource.logger, `resource:${name}`, async (context) =>
        resourceResult(
          uri,
          resource.metadata,
          await resource.handler(uri, flatten(variables), context),
        ),
      );
    if (resource.uri !== undefined) {
      server.registerResource(name, resource.uri, config, (uri, ctx) => read(uri, {}, ctx));
    } else {
      const template = new ResourceTemplate(resource.template!, { list: undefined });
      server.registerResource(name, template, config, read);
    }
  }

  private registerPrompt(
    server: McpServer,
    prompt: PreparedPrompt,
    era: Era,
    session: LegacySessionState | undefined,
    bind: BindContext,
  ): void {
    const { name, title, description } = prompt.metadata;
    server.registerPrompt(
      name,
      {
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
        argsSchema: prompt.argsSchema,
      },
      (args: unknown, ctx: ServerContext) =>
        this.serve(bind(ctx), era, session, prompt.logger, `prompt:${name}`, async (context) =>
          promptResult(
            prompt.metadata,
            await prompt.handler((args ?? {}) as Record<string, string>, context),
          ),
        ),
    );
  }

  /** 2025-era only: `logging/setLevel` and resource subscriptions live on the session. */
  private installSessionHandlers(server: McpServer, session: LegacySessionState): void {
    server.server.setRequestHandler('logging/setLevel', (request) => {
      session.logLevel = request.params.level;
      return {};
    });
    if (!this.subscribable) return;
    server.server.setRequestHandler('resources/subscribe', (request) => {
      const { uri } = request.params;
      const resource = this.servesResource(uri);
      if (!resource) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `agent "${this.definition.metadata.name}" serves no resource ${uri}; see resources/list and resources/templates/list`,
        );
      }
      if (resource.subscribable !== true) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `resource "${resource.name}" does not support subscriptions`,
        );
      }
      session.subscriptions.add(uri);
      return {};
    });
    server.server.setRequestHandler('resources/unsubscribe', (request) => {
      session.subscriptions.delete(request.params.uri);
      return {};
    });
  }

  /**
   * Runs a resource or prompt handler in a call scope, bounded by the call's signal; a handler
   * that asks for input (`context.input.require`) answers the input-required result.
   */
  private async serve<T>(
    ctx: ServerContext,
    era: Era,
    session: LegacySessionState | undefined,
    logger: Logger,
    target: string,
    work: (context: ToolContext) => Promise<T>,
  ): Promise<T | InputRequiredResult> {
    const headers = ctx.http?.req?.headers;
    const sessionId = ctx.sessionId ?? headerValue(headers, 'x-session-id');
    const call = openInboundCall(
      headers,
      ctx.mcpReq.signal,
      this.options.propagateHeaders,
      sessionId,
    );
    try {
      const context = createCallContext({
        agentId: this.options.agentId,
        call,
        ctx,
        era,
        session,
        sessionId,
        logger,
        loggerName: this.definition.metadata.name,
        target,
        requestState: this.requestState,
      });
      return await untilAborted(
        runInCallScope(call.scope, () => work(context)).catch(answerInputRequired),
        call.signal,
      );
    } catch (error) {
      if (call.deadlineExceeded()) {
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `the caller's deadline of ${call.budgetMs} ms passed`,
        );
      }
      throw error;
    } finally {
      call.dispose();
    }
  }
}

function prepareResource(
  metadata: ResourceMetadata,
  definition: AgentDefinition,
  logger: Logger,
): PreparedResource {
  const handler = definition.handlers.resources?.[metadata.name];
  if (!handler) throw new Error(`resource "${metadata.name}" has no handler`);
  if ((metadata.uri === undefined) === (metadata.uriTemplate === undefined)) {
    throw new Error(`resource "${metadata.name}" must have exactly one of uri and uriTemplate`);
  }
  return {
    metadata,
    handler,
    uri: metadata.uri === undefined ? undefined : normaliseUri(metadata.uri),
    template:
      metadata.uriTemplate === undefined ? undefined : new UriTemplate(metadata.uriTemplate),
    logger: logger.child({ resource: metadata.name }),
  };
}

function preparePrompt(
  metadata: PromptMetadata,
  definition: AgentDefinition,
  logger: Logger,
): PreparedPrompt {
  const handler = definition.handlers.prompts?.[metadata.name];
  if (!handler) throw new Error(`prompt "${metadata.name}" has no handler`);
  const schema = {
    type: 'object',
    properties: Object.fromEntries(
      metadata.arguments.map((argument) => [
        argument.name,
        { type: 'string', ...(argument.description ? { description: argument.description } : {}) },
      ]),
    ),
    required: metadata.arguments
      .filter((argument) => argument.required)
      .map((argument) => argument.name),
  };
  const check = lazyJsonSchemaCheck(schema, `prompt "${metadata.name}" arguments`);
  const argsSchema: StandardSchemaWithJSON = {
    '~standard': {
      version: 1,
      vendor: 'mcp-mesh',
      jsonSchema: { input: () => schema, output: () => schema },
      validate: (value: unknown) => {
        const problem = check(value);
        return problem === undefined ? { value } : { issues: [{ message: problem }] };
      },
    },
  };
  return { metadata, handler, argsSchema, logger: logger.child({ prompt: metadata.name }) };
}

/** The SDK looks fixed resources up by `new URL(uri).toString()`; register them the same way. */
function normaliseUri(uri: string): string {
  try {
    return new URL(uri).toString();
  } catch {
    return uri;
  }
}

function flatten(variables: Variables): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : value,
    ]),
  );
}
