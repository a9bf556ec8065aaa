import type { ToolMetadata } from '../metadata.js';

/**
 * A plain MCP server (no mesh runtime inside) that provides capabilities to the mesh, as the
 * spec's `servers:` list declares it. The mesh calls it at `${origin of url}/mcp`.
 */
export interface PlainServerMetadata {
  readonly name: string;
  /** The server's MCP endpoint; its path must be `/mcp` (the path every mesh call uses). */
  readonly url: string;
  readonly version: string;
  readonly namespace: string;
  readonly description?: string;
  /** The tools it provides, with the capability each one is registered as. */
  readonly tools: readonly ToolMetadata[];
  /** Also register every tool `tools/list` answers that `tools` does not declare. */
  readonly discover: boolean;
}

/** Host and port the registry records for the server (its endpoint is `http://host:port`). */
export function serverAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
