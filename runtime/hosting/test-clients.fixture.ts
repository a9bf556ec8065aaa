// Real MCP clients for the hosting tests: the SDK v2 client (either era) and the v1 client.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** `legacy`: the 2025-11-25 handshake; `auto`: negotiates 2026-07-28 where offered. */
export type ClientMode = 'legacy' | 'auto';

/** Opens clients and closes every one of them (call `closeAll` in afterEach). */
export function clientPool() {
  const closers: (() => Promise<void>)[] = [];
  return {
    async v2(url: string, mode: ClientMode, headers: Record<string, string> = {}) {
      const client = new Client(
        { name: 'hosting-test', version: '1.0.0' },
        { versionNegotiation: { mode }, capabilities: {} },
      );
      const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers },
      });
      await client.connect(transport);
      closers.push(async () => {
        await transport.terminateSession().catch(() => {});
        await client.close();
      });
      return { client, transport };
    },
    async v1(url: string, headers: Record<string, string> = {}) {
      const client = new V1Client({ name: 'hosting-test-v1', version: '1.0.0' });
      const transport = new V1Transport(new URL(`${url}/mcp`), { requestInit: { headers } });
      await client.connect(transport);
      closers.push(async () => {
        await transport.terminateSession().catch(() => {});
        await client.close();
      });
      return { client, transport };
    },
    async closeAll() {
      await Promise.all(closers.splice(0).map((close) => close().catch(() => {})));
    },
  };
}
