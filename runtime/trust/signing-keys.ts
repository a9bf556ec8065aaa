import { readFileSync } from 'node:fs';
import type { CryptoKey, KeyObject } from 'jose';
import { TrustError } from './trust-error.js';

/** A key as jose takes it. */
export type Key = CryptoKey | KeyObject;

/** The algorithm of every signature of the mesh: Ed25519 (small keys, fast, no parameters). */
export const meshAlgorithm = 'EdDSA';

/** A verification key of the mesh, named by its JWK thumbprint (the `kid` of what it signed). */
export interface TrustedKey {
  readonly kid: string;
  readonly key: Key;
}

/** A new mesh signing key pair, as PEM (PKCS#8 private, SPKI public). */
export async function generateSigningKeyPair(): Promise<{ privatePem: string; publicPem: string }> {
  const { generateKeyPair, exportPKCS8, exportSPKI } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair(meshAlgorithm, {
    crv: 'Ed25519',
    extractable: true,
  });
  return { privatePem: await exportPKCS8(privateKey), publicPem: await exportSPKI(publicKey) };
}

/**
 * PEM text from a setting that is either the PEM itself (it starts with `-----BEGIN`) or the path
 * of a file holding it: a Kubernetes Secret can be an env var or a mounted file.
 */
export function pemFromSetting(setting: string, what: string): string {
  if (setting.trimStart().startsWith('-----BEGIN')) return setting;
  try {
    return readFileSync(setting, 'utf8');
  } catch (error) {
    throw new TrustError(
      'bad_configuration',
      `${what}: cannot read ${setting} (${(error as NodeJS.ErrnoException).code ?? String(error)}); give the path of a PEM file or the PEM text itself`,
      { cause: error },
    );
  }
}

/**
 * The public keys in PEM text (one or more `PUBLIC KEY` blocks: several while a signing key is
 * being rotated), each named by its thumbprint.
 */
export async function importTrustedKeys(pem: string, what: string): Promise<TrustedKey[]> {
  const { importSPKI, exportJWK, calculateJwkThumbprint } = await import('jose');
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) {
    throw new TrustError(
      'bad_configuration',
      `${what} holds no "-----BEGIN PUBLIC KEY-----" block; use the .pub file that "meshctl trust keygen" wrote`,
    );
  }
  const keys: TrustedKey[] = [];
  for (const block of blocks) {
    try {
      const key = await importSPKI(block, meshAlgorithm, { extractable: true });
      keys.push({ kid: await calculateJwkThumbprint(await exportJWK(key)), key });
    } catch (error) {
      throw new TrustError(
        'bad_configuration',
        `${what} holds a public key that is not Ed25519 (${(error as Error).message}); use "meshctl trust keygen"`,
        { cause: error },
      );
    }
  }
  return keys;
}

/** The private signing key in PEM (PKCS#8) text, with the thumbprint of its public half. */
export async function importSigningKey(pem: string, what: string): Promise<TrustedKey> {
  const { importPKCS8, exportJWK, calculateJwkThumbprint } = await import('jose');
  try {
    const key = await importPKCS8(pem, meshAlgorithm, { extractable: true });
    const { d: _private, ...publicJwk } = await exportJWK(key);
    return { kid: await calculateJwkThumbprint(publicJwk), key };
  } catch (error) {
    throw new TrustError(
      'bad_configuration',
      `${what} is not an Ed25519 private key in PEM (${(error as Error).message}); use the .key file that "meshctl trust keygen" wrote`,
      { cause: error },
    );
  }
}
