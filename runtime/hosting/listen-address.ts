import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Where an agent listens, and the host it tells the registry other agents reach it by. */
export interface ListenAddress {
  /** Interface to bind (`0.0.0.0` / `::`: every interface). */
  readonly host: string;
  /** Host in the registered endpoint: never a wildcard. */
  readonly announcedHost: string;
}

const wildcards = new Set(['0.0.0.0', '::', '[::]']);

/** Whether `host` means every interface. */
export function isWildcardHost(host: string): boolean {
  return wildcards.has(host);
}

/**
 * The predecessor's split: `HOST` is the interface to bind, `MCP_MESH_HTTP_HOST` the host
 * announced to the registry (in Kubernetes the pod IP from the downward API, or a Service name).
 *
 * - bind: `HOST`; else `MCP_MESH_HTTP_HOST` when it is an address of this machine's kind (an IP,
 *   `localhost`: binding it is what it always meant); else every interface when it is a name
 *   others resolve (a Service, a container name: they must reach this process by it); else the
 *   spec's `host`; else `127.0.0.1`.
 * - announce: `MCP_MESH_HTTP_HOST`; else the bound host unless it is a wildcard; else this
 *   machine's first non-loopback IPv4 address (a container's own), else `127.0.0.1`.
 */
export function listenAddress(settings: {
  readonly bind: string | undefined;
  readonly announce: string | undefined;
  readonly specHost: string | undefined;
}): ListenAddress {
  const { bind, announce, specHost } = settings;
  const host =
    bind ??
    (announce === undefined
      ? specHost || '127.0.0.1'
      : isIP(unbracketed(announce)) !== 0 || announce.toLowerCase() === 'localhost'
        ? announce
        : '0.0.0.0');
  const announcedHost =
    announce ?? (isWildcardHost(host) ? (firstExternalIpv4() ?? '127.0.0.1') : host);
  return { host, announcedHost: unbracketed(announcedHost) };
}

function unbracketed(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function firstExternalIpv4(): string | undefined {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  return undefined;
}
