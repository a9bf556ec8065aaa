import type { ClientChannel } from './client-channel.js';
import type { InputRounds } from './input-rounds.js';

/** What a handler knows about the call it is serving, besides its input. */
export interface ToolContext {
  /** The id of the agent (replica) serving the call, as registered. */
  readonly agentId: string;
  /** Aborted when the caller cancels or the call's deadline passes. */
  readonly signal: AbortSignal;
  /** The session the caller names (`X-Session-ID`), else its MCP session, when it has one. */
  readonly sessionId?: string;
  /** Inbound headers that the mesh propagates (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Reports progress to the caller; for streaming tools each report is a chunk. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Logs to the agent's log and, when the client asked for it, to the MCP client. */
  readonly log: ContextLogger;
  /**
   * The MCP client that made the call: its declared capabilities, and requests to it during the
   * call (sampling, elicitation, roots) on 2025-11-25 sessions.
   */
  readonly client: ClientChannel;
  /** Multi-round input: ask the client for input by answering `input.require(...)` (both protocols). */
  readonly input: InputRounds;
}

export interface ContextLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}
