import type { CallEndpoint } from './call.js';

/**
 * The same call through the other key form of the registry's proxy: the predecessor's registry
 * relays `/proxy/{host:port}/mcp` only (and answers 403 for an agent id), ours accepts both.
 * Undefined when the endpoint is not an agent-id proxy call, or the agent announced no address.
 */
export function hostPortProxyEndpoint(endpoint: CallEndpoint): CallEndpoint | undefined {
  if (endpoint.kind !== 'proxy' || endpoint.form === 'host_port') return undefined;
  let authority: string;
  try {
    authority = new URL(endpoint.agent.endpoint).host;
  } catch {
    return undefined;
  }
  if (authority === '') return undefined;
  return {
    ...endpoint,
    url: `${endpoint.registryUrl.replace(/\/+$/, '')}/proxy/${authority}/mcp`,
    form: 'host_port',
  };
}
