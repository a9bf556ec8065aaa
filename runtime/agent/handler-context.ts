import { inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { type ClientFeature, ClientRequestError } from '../errors/client-request-error.js';
import type { ClientChannel } from './client-channel.js';
import type { ToolContext } from './context.js';
import type { InputRounds } from './input-rounds.js';

const noClientReason =
  'this call did not come from an MCP client (a call from the agent itself, or a test)';

function refuse(feature: ClientFeature): never {
  throw new ClientRequestError(
    'capability_missing',
    feature,
    `cannot ask the client for ${feature}: ${noClientReason}`,
  );
}

/** `context.client` of a call no MCP client made: it declared nothing, so every request throws. */
const noClient: ClientChannel = {
  capabilities: {},
  supports: () => false,
  createMessage: async () => refuse('sampling'),
  elicitInput: async () => refuse('elicitation'),
  listRoots: async () => refuse('roots'),
};

/** `context.input` of a call no MCP client made: no answers, no state, and nobody to ask. */
const noInput: InputRounds = {
  responses: {},
  response: (key) => inputResponse({}, key),
  state: () => undefined,
  require: async () => {
    throw new Error(`cannot ask the client for input: ${noClientReason}`);
  },
  elicit: (params) => inputRequired.elicit(params),
  elicitUrl: (params) => inputRequired.elicitUrl(params),
  createMessage: (params) => inputRequired.createMessage(params),
  listRoots: () => inputRequired.listRoots(),
};

/**
 * A context for calling a handler directly: in a unit test, or for a call the agent makes to
 * itself. There is no MCP client (client requests throw `ClientRequestError` `capability_missing`,
 * `input.require` throws), the log is silent and the signal never aborts, unless `fields` says
 * otherwise.
 *
 * @example
 * const answer = await greeter.handlers.tools.greet({ name: 'Ada' }, { dateService }, handlerContext());
 */
export function handlerContext(fields: Partial<ToolContext> = {}): ToolContext {
  const quiet = () => {};
  return {
    agentId: 'local',
    signal: new AbortController().signal,
    headers: {},
    progress: async () => {},
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    client: noClient,
    input: noInput,
    ...fields,
  };
}
