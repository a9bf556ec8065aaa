import type { ClientCapabilities, ServerContext } from '@modelcontextprotocol/server';
import type { ClientChannel } from '../agent/client-channel.js';
import { type ClientFeature, ClientRequestError } from '../errors/client-request-error.js';
import type { Era } from './call-context.js';

/** The wire method each feature's request uses, for messages. */
const methodOf: Record<ClientFeature, string> = {
  sampling: 'sampling/createMessage',
  elicitation: 'elicitation/create',
  roots: 'roots/list',
};

/**
 * How long one request to the client may take: people answer elicitations and approve samplings,
 * so the SDK's 60 s default is too short (the SDK's own multi-round shim waits as long). The
 * call's deadline and cancellation still end it sooner.
 */
const clientRequestTimeoutMs = 600_000;

/**
 * `context.client` for one request: the capabilities the client declared, and push-style requests
 * sent through the SDK on the request's own stream (2025 era only; the 2026-07-28 protocol has no
 * server-to-client requests). Capabilities are checked here first, so a handler gets a
 * {@link ClientRequestError} that names the feature rather than the SDK's generic error.
 */
export function createClientChannel(
  ctx: ServerContext,
  era: Era,
  capabilities: ClientCapabilities | undefined,
  signal: AbortSignal,
): ClientChannel {
  const options = { signal, timeout: clientRequestTimeoutMs };
  const declared: ClientCapabilities = capabilities ?? {};
  const supports = (feature: ClientFeature) => declared[feature] !== undefined;
  const ready = (feature: ClientFeature) => {
    if (era === 'modern') {
      throw new ClientRequestError(
        'not_on_this_protocol',
        feature,
        `cannot send ${methodOf[feature]} to the client: this call uses protocol 2026-07-28, which has no server-to-client requests; return context.input.require({...}) to ask for input instead`,
      );
    }
    if (!supports(feature)) {
      throw new ClientRequestError(
        'capability_missing',
        feature,
        `cannot send ${methodOf[feature]} to the client: it did not declare the "${feature}" capability when it connected`,
      );
    }
  };
  return {
    capabilities: declared,
    supports,
    async createMessage(params) {
      ready('sampling');
      return ctx.mcpReq.requestSampling(params, options);
    },
    async elicitInput(params) {
      ready('elicitation');
      return ctx.mcpReq.elicitInput(params, options);
    },
    async listRoots() {
      ready('roots');
      return ctx.mcpReq.send({ method: 'roots/list' }, options);
    },
  };
}
