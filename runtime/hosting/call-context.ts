import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type LoggingLevel,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { ContextLogger, ToolContext } from '../agent/context.js';
import { createClientChannel } from './client-channel.js';
import type { InboundCall } from './inbound-call.js';
import { createInputRounds } from './input-rounds.js';
import type { RequestStateSeal } from './request-state.js';

/** The protocol era a request is served in. */
export type Era = 'legacy' | 'modern';

/** What a 2025-era session remembers between requests. */
export interface LegacySessionState {
  /** The level the client asked for with `logging/setLevel`; no MCP log notifications before. */
  logLevel?: LoggingLevel;
  /** Resource URIs the client subscribed to. */
  readonly subscriptions: Set<string>;
  /** What the client declared at `initialize` (set once the session's server is built). */
  clientCapabilities?: () => ClientCapabilities | undefined;
}

const severity: Record<LoggingLevel, number> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

/** Whether a log notification at `level` passes the level a client set. */
export function passesLogLevel(level: LoggingLevel, threshold: LoggingLevel | undefined): boolean {
  return threshold !== undefined && severity[level] >= severity[threshold];
}

export interface CallContextSource {
  readonly agentId: string;
  readonly call: InboundCall;
  readonly ctx: ServerContext;
  readonly era: Era;
  readonly session: LegacySessionState | undefined;
  readonly sessionId: string | undefined;
  /** Pino logger already bound to the agent and the tool/resource/prompt being served. */
  readonly logger: Logger;
  /** The `logger` name on MCP log notifications (the agent's name). */
  readonly loggerName: string;
  /** The handler served, as `tool:<name>`, `prompt:<name>` or `resource:<name>`. */
  readonly target: string;
  /** Signs the state of multi-round input. */
  readonly requestState: RequestStateSeal;
}

/**
 * The context handed to a handler: the call's signal and headers, progress reports (sent only when
 * the request carried a progress token), a logger that writes to pino always and to the MCP
 * client when it asked for logs (2025: `logging/setLevel` on the session; 2026-07-28: the log
 * level in the request's envelope, which the SDK applies), the client's capabilities and requests
 * to it, and multi-round input.
 */
export function createCallContext(source: CallContextSource): ToolContext {
  const { call, ctx } = source;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  return {
    agentId: source.agentId,
    signal: call.signal,
    ...(source.sessionId === undefined ? {} : { sessionId: source.sessionId }),
    headers: call.scope.headers,
    async progress(progress, total, message) {
      if (progressToken === undefined || call.signal.aborted) return;
      try {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: {
            progressToken,
            progress,
            ...(total === undefined ? {} : { total }),
            ...(message === undefined ? {} : { message }),
          },
        });
      } catch (error) {
        // The caller went away; progress is best effort.
        source.logger.debug({ err: error }, 'progress notification not delivered');
      }
    },
    log: contextLogger(source),
    client: createClientChannel(ctx, source.era, clientCapabilitiesOf(source), call.signal),
    input: createInputRounds(ctx, source.target, source.requestState),
  };
}

/** 2025: what the session declared at `initialize`; 2026-07-28: what the request's envelope says. */
function clientCapabilitiesOf(source: CallContextSource): ClientCapabilities | undefined {
  if (source.era === 'legacy') return source.session?.clientCapabilities?.();
  const envelope = source.ctx.mcpReq.envelope as Readonly<Record<string, unknown>> | undefined;
  return envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
}

function contextLogger(source: CallContextSource): ContextLogger {
  const emit =
    (pinoLevel: 'debug' | 'info' | 'warn' | 'error', mcpLevel: LoggingLevel) =>
    (message: string, data?: Record<string, unknown>) => {
      source.logger[pinoLevel](data ?? {}, message);
      const wanted = source.era === 'modern' || passesLogLevel(mcpLevel, source.session?.logLevel);
      if (!wanted) return;
      source.ctx.mcpReq
        .log(mcpLevel, data === undefined ? { message } : { message, ...data }, source.loggerName)
        .catch(() => {
          // Best effort, like progress.
        });
    };
  return {
    debug: emit('debug', 'debug'),
    info: emit('info', 'info'),
    warn: emit('warn', 'warning'),
    error: emit('error', 'error'),
  };
}
