import { type TlsSettings, trustedCas } from '@mcp-mesh/runtime/shared';
import { Agent, fetch as undiciFetch } from 'undici';

/** How the proxy reaches agents: HTTPS when TLS is configured, with its CAs. */
export interface AgentRelay {
  readonly https: boolean;
  fetch(url: string, init: RequestInit): Promise<Response>;
}

/** The proxy's fetch; plain Node fetch unless TLS settings ask for HTTPS towards agents. */
export function agentRelay(tls: TlsSettings | undefined): AgentRelay {
  if (tls === undefined) return { https: false, fetch: (url, init) => fetch(url, init) };
  const ca = trustedCas(tls);
  const dispatcher = new Agent(ca === undefined ? {} : { connect: { ca } });
  return {
    https: true,
    fetch: (url, init) =>
      undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
  };
}
