import type { AgentState } from '../topology/agent-state.js';
import type { Topology } from '../topology/topology.js';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The registered agent a proxy key names: an agent id (ours), or the `host:port` of a
 * registered agent's endpoint (the predecessor's `meshctl call` sends that). Only endpoints
 * agents registered are reachable this way: a `host:port` nobody registered names nothing, so
 * the proxy never becomes an open relay. Loopback spellings are one host.
 */
export function proxyTarget(topology: Topology, key: string): AgentState | undefined {
  const byId = topology.get(key);
  if (byId) return byId;
  const wanted = authorityOf(key);
  if (wanted === undefined) return undefined;
  let match: AgentState | undefined;
  for (const state of topology.all()) {
    if (state.endpoint === '' || authorityOf(state.endpoint) !== wanted) continue;
    // Several registrations can share an address (a restarted agent under a new id, before
    // the old one expires): the healthy one is the one that answers.
    if (!match || (match.status !== 'healthy' && state.status === 'healthy')) match = state;
  }
  return match;
}

/** `host:port` with loopback hosts folded, or undefined when `text` has no port. */
function authorityOf(text: string): string | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.port === '') return undefined;
  const host = loopbackHosts.has(url.hostname) ? 'loopback' : url.hostname;
  return `${host}:${url.port}`;
}
