import {
  type CallToolResult,
  type InputRequiredResult,
  isInputRequiredResult,
  type ServerContext,
  type StandardSchemaWithJSON,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { forwardedByHeader, type SessionAffinity } from '../affinity/session-affinity.js';
import { needsSessionAffinity, sessionHeader, sessionKeyOf } from '../affinity/session-key.js';
import type { ToolHandler } from '../agent/handlers.js';
import { answerInputRequired } from '../agent/input-required.js';
import { runInCallScope } from '../context/call-scope.js';
import type { ToolMetadata } from '../metadata.js';
import { servedToolSpan } from '../telemetry/served-tool-span.js';
import { activeTracing } from '../telemetry/tracing.js';
import { errorMessage, untilAborted } from './abortable.js';
import { createCallContext, type Era, type LegacySessionState } from './call-context.js';
import { headerValue, type InboundCall, openInboundCall } from './inbound-call.js';
import { advertisedSchema, lazyJsonSchemaCheck, type SchemaCheck } from './json-schema.js';
import type { RequestStateSeal } from './request-state.js';
import type { ToolMetrics, ToolOutcome } from './tool-metrics.js';
import { structuredOutputOf, toolErrorResult, toToolResult } from './tool-result.js';

/** A tool compiled once at start-up: its schemas as advertised and as checked. */
export interface PreparedTool {
  readonly name: string;
  readonly metadata: ToolMetadata;
  // biome-ignore lint/suspicious/noExplicitAny: the runtime calls handlers of every typed signature.
  readonly handler: ToolHandler<any, any, any>;
  readonly listedInput: StandardSchemaWithJSON;
  readonly listedOutput: StandardSchemaWithJSON | undefined;
  readonly checkInput: SchemaCheck;
  readonly checkOutput: SchemaCheck | undefined;
  readonly logger: Logger;
}

/** One request as the SDK hands it to a tool: its context, era and (2025) session. */
export interface ServedRequest {
  readonly ctx: ServerContext;
  readonly era: Era;
  readonly session: LegacySessionState | undefined;
}

export interface ToolRunnerOptions {
  readonly agentName: string;
  /** The registered id of this agent (replica); handlers see it as `context.agentId`. */
  readonly agentId: string;
  /** Signs the state of multi-round input (`context.input`). */
  readonly requestState: RequestStateSeal;
  readonly dependencies: (
    toolName: string,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  readonly propagateHeaders: readonly string[];
  readonly logger: Logger;
  readonly metrics: ToolMetrics;
  /** Keeps each session of a `session_required`/`stateful` tool on one replica, when set. */
  readonly affinity?: SessionAffinity;
}

/**
 * Runs tool calls: validates the input, resolves the injected dependencies, calls the handler in
 * the call's scope (deadline, cancellation, propagated headers), maps the result, and records the
 * outcome. A call never fails the request: every failure is an `isError` result.
 */
export class ToolRunner {
  readonly tools: ReadonlyMap<string, PreparedTool>;

  constructor(
    tools: readonly ToolMetadata[],
    // biome-ignore lint/suspicious/noExplicitAny: see PreparedTool.handler.
    handlers: { readonly [name: string]: ToolHandler<any, any, any> },
    private readonly options: ToolRunnerOptions,
  ) {
    this.tools = new Map(
      tools.map((metadata) => {
        const handler = handlers[metadata.name];
        if (!handler) throw new Error(`tool "${metadata.name}" has no handler`);
        const tool: PreparedTool = {
          name: metadata.name,
          metadata,
          handler,
          listedInput: advertisedSchema(metadata.inputSchema),
          listedOutput: metadata.outputSchema ? advertisedSchema(metadata.outputSchema) : undefined,
          checkInput: lazyJsonSchemaCheck(metadata.inputSchema, `tool "${metadata.name}" input`),
          checkOutput: metadata.outputSchema
            ? lazyJsonSchemaCheck(metadata.outputSchema, `tool "${metadata.name}" output`)
            : undefined,
          logger: options.logger.child({ tool: metadata.name }),
        };
        return [metadata.name, tool];
      }),
    );
  }

  /** Serves one `tools/call`. */
  run(
    tool: PreparedTool,
    args: unknown,
    request: ServedRequest,
  ): Promise<CallToolResult | InputRequiredResult> {
    return this.serve(tool, args ?? {}, request);
  }

  private async serve(
    tool: PreparedTool,
    args: unknown,
    { ctx, era, session }: ServedRequest,
  ): Promise<CallToolResult | InputRequiredResult> {
    const started = performance.now();
    const headers = ctx.http?.req?.headers;
    // A session the caller names wins over its transport session, as for affinity.
    const sessionId = headerValue(headers, sessionHeader) || ctx.sessionId;
    const tracing = activeTracing();
    const span =
      tracing && servedToolSpan(tracing, tool.name, this.options.agentId, headers, sessionId);
    const call = openInboundCall(
      headers,
      ctx.mcpReq.signal,
      this.options.propagateHeaders,
      sessionId,
      span?.traceparent,
    );
    let outcome: ToolOutcome = 'success';
    try {
      const invalid = tool.checkInput(args);
      if (invalid !== undefined) {
        outcome = 'invalid_input';
        return toolErrorResult(`Invalid input for tool "${tool.name}": ${invalid}`);
      }
      const served = { ctx, era, session };
      const runHere = () => this.runHere(tool, args, served, call, sessionId);
      const affinityKey =
        this.options.affinity && needsSessionAffinity(tool.metadata.kwargs)
          ? sessionKeyOf(headers, ctx.sessionId, args)
          : undefined;
      const result =
        affinityKey === undefined || !this.options.affinity
          ? await runHere()
          : await this.options.affinity.serve(
              {
                tool: tool.name,
                args,
                session: affinityKey,
                forwardedBy: headerValue(headers, forwardedByHeader),
                scope: call.scope,
                signal: call.signal,
                timeoutMs: (tool.metadata.kwargs.timeout ?? defaultForwardTimeoutSeconds) * 1000,
                authorization: headerValue(headers, 'authorization'),
              },
              runHere,
            );
      if ('isError' in result && result.isError === true) outcome = 'error';
      return result;
    } catch (error) {
      if (call.deadlineExceeded()) {
        outcome = 'timeout';
        return toolErrorResult(
          `Tool "${tool.name}" did not finish within the caller's deadline of ${call.budgetMs} ms`,
        );
      }
      if (call.signal.aborted) {
        outcome = 'cancelled';
        return toolErrorResult(`Tool "${tool.name}" was cancelled by the caller`);
      }
      outcome = 'error';
      tool.logger.warn({ err: error }, 'tool failed');
      return toolErrorResult(errorMessage(error));
    } finally {
      call.dispose();
      span?.end(outcome === 'success' ? undefined : outcome);
      this.options.metrics.observe(tool.name, outcome, (performance.now() - started) / 1000);
    }
  }

  // Runs the handler here: context, injected dependencies, output check and mapping.
  private async runHere(
    tool: PreparedTool,
    args: unknown,
    { ctx, era, session }: ServedRequest,
    call: InboundCall,
    sessionId: string | undefined,
  ): Promise<CallToolResult | InputRequiredResult> {
    const context = createCallContext({
      agentId: this.options.agentId,
      call,
      ctx,
      era,
      session,
      sessionId,
      logger: tool.logger,
      loggerName: this.options.agentName,
      target: `tool:${tool.name}`,
      requestState: this.options.requestState,
    });
    const value = await untilAborted(
      runInCallScope(call.scope, async () => {
        const dependencies = await this.options.dependencies(tool.name, call.signal);
        return tool.handler(args, dependencies, context);
      }).catch(answerInputRequired),
      call.signal,
    );
    // Asking the client for input is an answer of its own (multi-round), not the tool's output.
    if (isInputRequiredResult(value)) return value;
    if (tool.checkOutput) {
      const output = structuredOutputOf(value);
      const invalidOutput = output.check ? tool.checkOutput(output.value) : undefined;
      if (invalidOutput !== undefined) {
        tool.logger.warn(
          { problem: invalidOutput },
          'tool output does not match its output schema',
        );
        return toolErrorResult(
          `Tool "${tool.name}" answered output that does not match its output schema: ${invalidOutput}`,
        );
      }
    }
    return toToolResult(value, tool.checkOutput !== undefined);
  }
}

// How long a forwarded call may take when neither the caller nor the tool set a limit.
const defaultForwardTimeoutSeconds = 30;
