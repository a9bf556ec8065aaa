import {
  type InputRequests,
  inputRequired,
  inputResponse,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { InputRequired } from '../agent/input-required.js';
import type { InputRounds } from '../agent/input-rounds.js';
import type { RequestStateSeal, SealedState } from './request-state.js';

/**
 * `context.input` for one request. The SDK has already verified the echoed `requestState` with
 * the agent's seal (a forged or expired one never reaches a handler: JSON-RPC -32602), so
 * `state()` only checks that the state was minted for this very handler.
 */
export function createInputRounds(
  ctx: ServerContext,
  target: string,
  seal: RequestStateSeal,
): InputRounds {
  const responses = ctx.mcpReq.inputResponses ?? {};
  return {
    responses,
    response: (key) => inputResponse(responses, key),
    state<T>() {
      const sealed = ctx.mcpReq.requestState<SealedState>();
      if (sealed === undefined) return undefined;
      if (typeof sealed !== 'object' || sealed === null || sealed.for !== target) {
        throw new Error(
          `the requestState of this request was issued for another handler than ${target}; start over without it`,
        );
      }
      return sealed.value as T;
    },
    async require(requests, state) {
      const inputRequests: InputRequests | undefined =
        requests && Object.keys(requests).length > 0 ? { ...requests } : undefined;
      throw new InputRequired(
        inputRequired({
          ...(inputRequests === undefined ? {} : { inputRequests }),
          ...(state === undefined
            ? {}
            : { requestState: await seal.mint({ for: target, value: state }) }),
        }),
      );
    },
    elicit: (params) => inputRequired.elicit(params),
    elicitUrl: (params) => inputRequired.elicitUrl(params),
    createMessage: (params) => inputRequired.createMessage(params),
    listRoots: () => inputRequired.listRoots(),
  };
}
