import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  ElicitResult,
  ListRootsResult,
} from '@modelcontextprotocol/server';
import type { ClientFeature } from '../errors/client-request-error.js';

/**
 * The MCP client that made the call: what it declared it can do, and requests to it in the middle
 * of the call (LLM sampling, elicitation of user input, its roots).
 *
 * The requests are push-style: they reach the client while the call is open, which only the
 * 2025-11-25 protocol (sessions) allows; the runtime then answers the call as an SSE stream. On a
 * 2026-07-28 call they throw {@link ClientRequestError} `not_on_this_protocol`: ask through
 * `context.input` instead, which works on both protocols.
 *
 * @example
 * async summarise({ text }, _deps, context) {
 *   const answer = await context.client.createMessage({
 *     messages: [{ role: 'user', content: { type: 'text', text: `Summarise: ${text}` } }],
 *     maxTokens: 200,
 *   });
 *   return answer.content.type === 'text' ? answer.content.text : '';
 * }
 */
export interface ClientChannel {
  /**
   * The capabilities the client declared: at `initialize` on a 2025-11-25 session, on the request
   * itself on 2026-07-28. Empty when it declared none.
   */
  readonly capabilities: Readonly<ClientCapabilities>;
  /** Whether the client declared `feature` (and so can answer requests for it). */
  supports(feature: ClientFeature): boolean;
  /**
   * Asks the client's LLM for a message (`sampling/createMessage`).
   * @throws ClientRequestError when the client declared no `sampling`, or on protocol 2026-07-28.
   */
  createMessage(
    params: CreateMessageRequestParams,
  ): Promise<CreateMessageResult | CreateMessageResultWithTools>;
  /**
   * Asks the user for input through the client (`elicitation/create`): a form (`requestedSchema`)
   * or, with `mode: 'url'`, a page to visit. The answer's `action` says whether they accepted.
   * @throws ClientRequestError when the client declared no `elicitation`, or on protocol 2026-07-28.
   */
  elicitInput(params: ElicitRequestFormParams | ElicitRequestURLParams): Promise<ElicitResult>;
  /**
   * Asks the client for its roots (`roots/list`): the directories or files it lets servers see.
   * @throws ClientRequestError when the client declared no `roots`, or on protocol 2026-07-28.
   */
  listRoots(): Promise<ListRootsResult>;
}
