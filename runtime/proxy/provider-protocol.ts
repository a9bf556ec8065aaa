import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server';
import type { Dispatcher } from 'undici';
import { loadUndici } from './load-undici.js';

/** What a provider and this agent agreed on: the era and, for the 2025 era, the session. */
export interface ProviderProtocol {
  /** The negotiated protocol version, sent as `Mcp-Protocol-Version`. */
  readonly version: string;
  /** 2026-07-28 or newer: stateless, every request carries its own envelope. */
  readonly modern: boolean;
  /** The 2025-era session (`Mcp-Session-Id`), absent on the modern era. */
  readonly sessionId?: string;
  /**
   * The modern era's `_meta` envelope as JSON text without its braces (`"key":value,...`), ready to
   * splice into every request's `_meta`: it is the same for each call.
   */
  readonly envelope?: string;
}

/** Who this agent says it is in handshakes and envelopes. */
export interface ClientIdentity {
  readonly name: string;
  readonly version: string;
}

/**
 * Negotiates with a provider through the official SDK client — `auto`: the newest era it offers
 * (`server/discover`, falling back to `initialize` + `notifications/initialized`); `legacy`: the
 * 2025 handshake only — then lets the SDK client go: the calls themselves are sent directly.
 * Closing the SDK client does not end a 2025-era session on the server, so the session id stays
 * valid for those calls.
 */
export async function negotiateProtocol(
  endpoint: string,
  dispatcher: Dispatcher,
  identity: ClientIdentity,
  mode: 'auto' | 'legacy' = 'auto',
): Promise<ProviderProtocol> {
  // Loaded at the first provider, not at start: agents that only serve never parse the SDK client.
  const [{ Client, StreamableHTTPClientTransport }, { fetch: undiciFetch }] = await Promise.all([
    import('@modelcontextprotocol/client'),
    loadUndici(),
  ]);
  const client = new Client(
    { name: identity.name, version: identity.version },
    mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', endpoint), {
    fetch: (input, init) =>
      undiciFetch(
        input as never,
        { ...(init as object), dispatcher } as never,
      ) as unknown as Promise<Response>,
  });
  try {
    await client.connect(transport);
    const version = client.getNegotiatedProtocolVersion();
    if (version === undefined) throw new Error(`no MCP protocol version agreed with ${endpoint}`);
    if (client.getProtocolEra() === 'modern') {
      return { version, modern: true, envelope: modernEnvelope(version, identity) };
    }
    return {
      version,
      modern: false,
      ...(transport.sessionId === undefined ? {} : { sessionId: transport.sessionId }),
    };
  } finally {
    // Ends the SDK client's standalone GET stream; the session itself stays open.
    await client.close().catch(() => undefined);
  }
}

function modernEnvelope(version: string, identity: ClientIdentity): string {
  const envelope = JSON.stringify({
    [PROTOCOL_VERSION_META_KEY]: version,
    [CLIENT_INFO_META_KEY]: { name: identity.name, version: identity.version },
    [CLIENT_CAPABILITIES_META_KEY]: {},
  });
  return envelope.slice(1, -1);
}
