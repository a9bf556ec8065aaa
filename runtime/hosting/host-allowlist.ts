import { hostname, networkInterfaces } from 'node:os';

const wildcardHosts = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * The `Host`/`Origin` hostnames `/mcp` accepts (DNS-rebinding protection): the bound host,
 * `localhost`, `127.0.0.1` and `[::1]`, plus `extra`. An agent bound to every interface
 * (`0.0.0.0`/`::`) also accepts this machine's hostname and interface addresses, which is how
 * other agents reach it. Hostnames only, lower case, IPv6 in brackets — as the SDK's validators
 * compare them.
 */
export function allowedHostnames(boundHost: string, extra: readonly string[] = []): string[] {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (wildcardHosts.has(boundHost)) {
    names.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(asHostname(address.address));
    }
  } else {
    names.add(asHostname(boundHost));
  }
  for (const name of extra) names.add(asHostname(name));
  return [...names];
}

function asHostname(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.includes(':') && !lower.startsWith('[')) return `[${lower}]`;
  return lower;
}
