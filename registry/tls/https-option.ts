import { serverTls, type TlsSettings } from '@mcp-mesh/runtime/shared';

/** fastify's `https` option when the registry serves HTTPS (MCP_MESH_TLS_CERT/KEY). */
export function httpsOption(tls: TlsSettings | undefined): {
  https?: { cert: string; key: string };
} {
  const https = serverTls(tls);
  return https === undefined ? {} : { https };
}
