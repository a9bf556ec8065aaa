import type {
  CreateMessageRequestParams,
  ElicitInputParams,
  ElicitRequestURLParams,
  InputRequest,
  InputResponseView,
} from '@modelcontextprotocol/server';

/**
 * Multi-round input (SEP-2322, protocol 2026-07-28): instead of answering, a tool, prompt or
 * resource handler returns `context.input.require({...})`, which ends the round asking the client to
 * fulfil some requests (elicitation, sampling, roots) and to call again with their answers. The handler
 * then runs again from the start, and finds the answers in `responses` and what it saved in
 * `state()`.
 *
 * It works on both protocols: a 2026-07-28 client does the rounds itself; on a 2025-11-25 session
 * the SDK sends the requests to the client and calls the handler again in the same call.
 *
 * The saved state travels through the client: the runtime signs it (HMAC-SHA256, with
 * MCP_MESH_REQUEST_STATE_KEY or a key of the process), binds it to this handler and expires it
 * after ten minutes; the client can read it but not change it (a changed state fails the request
 * with JSON-RPC -32602). Client answers are not checked: validate them like any input.
 *
 * @example
 * async book({ room }, _deps, context) {
 *   const confirm = context.input.response('confirm');
 *   if (confirm.kind !== 'elicit') {
 *     return context.input.require({
 *       confirm: context.input.elicit({
 *         message: `Book ${room}?`,
 *         requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
 *       }),
 *     }, { room });
 *   }
 *   return confirm.action === 'accept' && confirm.content?.ok === true ? `Booked ${room}` : 'Not booked';
 * }
 */
export interface InputRounds {
  /** The client's answers to the previous round's requests, by key; empty on the first round. */
  readonly responses: Readonly<Record<string, unknown>>;
  /** One answer of `responses`, by what kind it is (`missing` when absent or malformed). */
  response(key: string): InputResponseView;
  /** The value the previous round passed to {@link require}, verified; undefined on the first round. */
  state<T = unknown>(): T | undefined;
  /**
   * Ends this round asking the client for input: it never resolves, it rejects with
   * `InputRequired`, which the runtime turns into the request's answer (let it propagate).
   * `state` (any JSON) comes back signed in the next round's {@link state}; pass requests, state,
   * or both. Typed `never`, so `return context.input.require(...)` fits any handler.
   */
  require(
    requests: Readonly<Record<string, InputRequest>> | undefined,
    state?: unknown,
  ): Promise<never>;
  /** An elicitation request for {@link require}: a form the user fills in. */
  elicit(params: ElicitInputParams): InputRequest;
  /** An elicitation request for {@link require}: a page the user visits (URL mode). */
  elicitUrl(params: Omit<ElicitRequestURLParams, 'mode' | 'elicitationId'>): InputRequest;
  /** A sampling request for {@link require}: a message from the client's LLM. */
  createMessage(params: CreateMessageRequestParams): InputRequest;
  /** A roots request for {@link require}: the client's roots. */
  listRoots(): InputRequest;
}
