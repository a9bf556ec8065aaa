/**
 * Why a handler could not ask the MCP client for something. Documented in docs/runtime.md (a test
 * keeps the two in step).
 */
export const clientRequestErrorCodes = [
  /** The client did not declare the capability the request needs (sampling, elicitation, roots). */
  'capability_missing',
  /**
   * The call is served on protocol 2026-07-28, which has no server-to-client requests: ask through
   * `context.input` (multi-round input) instead.
   */
  'not_on_this_protocol',
] as const;

export type ClientRequestErrorCode = (typeof clientRequestErrorCodes)[number];

/** The client features a handler can ask for. */
export type ClientFeature = 'sampling' | 'elicitation' | 'roots';

/**
 * A request from a handler to the MCP client (sampling, elicitation, roots) that cannot be sent.
 * Thrown by `context.client`; a tool that lets it escape answers an `isError` result carrying the
 * message.
 *
 * @example
 * try { await context.client.elicitInput({ message: 'Name?', requestedSchema }) } catch (error) {
 *   if (error instanceof ClientRequestError && error.code === 'capability_missing') return 'Anonymous';
 *   throw error;
 * }
 */
export class ClientRequestError extends Error {
  override readonly name = 'ClientRequestError';

  constructor(
    readonly code: ClientRequestErrorCode,
    /** The feature the handler asked for. */
    readonly feature: ClientFeature,
    message: string,
  ) {
    super(message);
  }
}
