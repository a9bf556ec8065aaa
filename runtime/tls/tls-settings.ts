import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { EnvironmentErrorType, EnvironmentReader } from '../config/environment.js';

/** TLS files of one process (agent, registry, meshctl), as paths of PEM files. */
export interface TlsSettings {
  /** MCP_MESH_TLS_CERT: the certificate chain this process serves HTTPS with. */
  readonly certFile?: string;
  /** MCP_MESH_TLS_KEY: its private key. */
  readonly keyFile?: string;
  /** MCP_MESH_TLS_CA: CAs trusted for outbound HTTPS besides the system's. */
  readonly caFile?: string;
}

/**
 * Reads MCP_MESH_TLS_CERT, MCP_MESH_TLS_KEY and MCP_MESH_TLS_CA; a certificate without its key
 * (or the reverse) and files that cannot be read are refused here, at start-up.
 */
export function readTlsSettings(
  env: EnvironmentReader,
  errorType: EnvironmentErrorType,
): TlsSettings | undefined {
  const certFile = env.text('MCP_MESH_TLS_CERT');
  const keyFile = env.text('MCP_MESH_TLS_KEY');
  const caFile = env.text('MCP_MESH_TLS_CA');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const missing = certFile === undefined ? 'MCP_MESH_TLS_CERT' : 'MCP_MESH_TLS_KEY';
    throw new errorType(
      missing,
      `${missing} is missing: HTTPS needs both MCP_MESH_TLS_CERT and MCP_MESH_TLS_KEY (PEM files)`,
    );
  }
  for (const [name, path] of [
    ['MCP_MESH_TLS_CERT', certFile],
    ['MCP_MESH_TLS_KEY', keyFile],
    ['MCP_MESH_TLS_CA', caFile],
  ] as const) {
    if (path !== undefined) pemFile(path, name, errorType);
  }
  if (certFile === undefined && caFile === undefined) return undefined;
  return {
    ...(certFile === undefined ? {} : { certFile }),
    ...(keyFile === undefined ? {} : { keyFile }),
    ...(caFile === undefined ? {} : { caFile }),
  };
}

/** `{ cert, key }` for an HTTPS server, or undefined when this process serves plain HTTP. */
export function serverTls(
  settings: TlsSettings | undefined,
): { cert: string; key: string } | undefined {
  if (settings?.certFile === undefined || settings.keyFile === undefined) return undefined;
  return {
    cert: readFileSync(settings.certFile, 'utf8'),
    key: readFileSync(settings.keyFile, 'utf8'),
  };
}

/** The CAs outbound HTTPS trusts: the system's and MCP_MESH_TLS_CA's; undefined: the defaults. */
export function trustedCas(settings: TlsSettings | undefined): string[] | undefined {
  if (settings?.caFile === undefined) return undefined;
  return [...rootCertificates, readFileSync(settings.caFile, 'utf8')];
}

function pemFile(path: string, name: string, errorType: EnvironmentErrorType): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new errorType(
      name,
      `${name}=${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); give the path of a PEM file`,
    );
  }
  if (!text.includes('-----BEGIN '))
    throw new errorType(name, `${name}=${path} is not a PEM file (no "-----BEGIN" line)`);
}
