import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { UsageError } from '../usage-error.js';

/**
 * `Authorization` for a registry with trust on: the credential of MCP_MESH_CREDENTIAL_FILE (an
 * admin's, for `meshctl call` through the proxy and protected event reads); none when unset.
 */
export function credentialHeaders(
  environment: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const path = environment.MCP_MESH_CREDENTIAL_FILE?.trim();
  if (!path) return {};
  let credential: unknown;
  try {
    credential = (JSON.parse(readFileSync(path, 'utf8')) as { credential?: unknown }).credential;
  } catch (error) {
    throw new UsageError(
      `MCP_MESH_CREDENTIAL_FILE=${path} cannot be read as a credential file (${(error as Error).message}); write one with \`meshctl trust mint\``,
    );
  }
  if (typeof credential !== 'string')
    throw new UsageError(
      `MCP_MESH_CREDENTIAL_FILE=${path} has no "credential"; write one with \`meshctl trust mint\``,
    );
  return { authorization: `Bearer ${credential}` };
}

let extraCa: string | undefined;

/** The PEM text of MCP_MESH_TLS_CA, once {@link trustConfiguredCas} has read it. */
export function configuredCa(): string | undefined {
  return extraCa;
}

/**
 * With MCP_MESH_TLS_CA, every HTTPS request meshctl makes (registry reads, and calls through
 * undici) also trusts those CAs. (NODE_EXTRA_CA_CERTS does the same for any Node process.)
 */
export async function trustConfiguredCas(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const path = environment.MCP_MESH_TLS_CA?.trim();
  if (!path) return;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `MCP_MESH_TLS_CA=${path} cannot be read (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  extraCa = pem;
  const { Agent, setGlobalDispatcher } = await import('undici');
  setGlobalDispatcher(new Agent({ connect: { ca: [...rootCertificates, pem] } }));
}
