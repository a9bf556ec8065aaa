import type { InputRequiredResult } from '@modelcontextprotocol/server';

/**
 * Thrown by `context.input.require(...)`: it ends the handler's round, and the runtime answers the
 * request with the input-required result it carries. Let it propagate (a `catch` that swallows it
 * turns the request for input into whatever that `catch` answers).
 */
export class InputRequired extends Error {
  override readonly name = 'InputRequired';

  constructor(
    /** The answer the request gets: the requests for the client, and the signed state. */
    readonly result: InputRequiredResult,
  ) {
    super('the handler asks the client for input (multi-round request); let this propagate');
  }
}

/** Rethrows every error but {@link InputRequired}, which becomes the answer it carries. */
export function answerInputRequired(error: unknown): InputRequiredResult {
  if (error instanceof InputRequired) return error.result;
  throw error;
}
