import { readFileSync } from 'node:fs';
import type { CredentialFile } from './credential.js';
import { TrustError } from './trust-error.js';

/** Reads and checks a credential file that `meshctl trust mint` wrote (MCP_MESH_CREDENTIAL_FILE). */
export function readCredentialFile(path: string): CredentialFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrustError(
      'bad_configuration',
      `MCP_MESH_CREDENTIAL_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TrustError(
      'bad_configuration',
      `MCP_MESH_CREDENTIAL_FILE: ${path} is not JSON; write it with "meshctl trust mint"`,
    );
  }
  const file = parsed as Partial<CredentialFile> | null;
  if (
    typeof file !== 'object' ||
    file === null ||
    typeof file.credential !== 'string' ||
    typeof file.holder_key !== 'object' ||
    file.holder_key === null ||
    typeof file.holder_key.d !== 'string'
  ) {
    throw new TrustError(
      'bad_configuration',
      `MCP_MESH_CREDENTIAL_FILE: ${path} needs "credential" (a JWT) and "holder_key" (a private JWK); write it with "meshctl trust mint"`,
    );
  }
  return file as CredentialFile;
}
