import type { Client } from '@modelcontextprotocol/client';
import type { JsonSchema } from '../metadata.js';

/** A tool as the plain server's `tools/list` describes it. */
export interface ListedTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
}

/**
 * Asks a plain server for its tools through the official SDK client, over one connection kept
 * between probes (re-opened after a failure). `tools/list` rather than `ping`: it exists in both
 * protocol eras and proves the server really serves MCP, not only that its port is open.
 */
export class ServerProbe {
  private client: Client | undefined;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  /** The server's tools; throws when it does not answer within the timeout. */
  async listTools(): Promise<readonly ListedTool[]> {
    try {
      const client = await this.connected();
      const { tools } = await client.listTools(undefined, { timeout: this.timeoutMs });
      return tools as ListedTool[];
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    // Loaded lazily, like the proxies' client: only a process that registers plain servers needs it.
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const client = new Client(
      { name: 'mcp-mesh-registrar', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    const connecting = client.connect(new StreamableHTTPClientTransport(new URL(this.url)));
    const timer = setTimeout(() => void client.close().catch(() => undefined), this.timeoutMs);
    try {
      await connecting;
    } finally {
      clearTimeout(timer);
    }
    this.client = client;
    return client;
  }
}
