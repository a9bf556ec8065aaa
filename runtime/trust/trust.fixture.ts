import { type CredentialFile, mintCredential } from './credential.js';
import type { CredentialGrant } from './grant.js';
import {
  generateSigningKeyPair,
  importSigningKey,
  importTrustedKeys,
  type TrustedKey,
} from './signing-keys.js';

/** A mesh signing key made for one test (never a committed key), and a minting shortcut. */
export interface TestMesh {
  readonly publicPem: string;
  readonly privatePem: string;
  readonly signingKey: TrustedKey;
  readonly trustedKeys: TrustedKey[];
  mint(
    grant: CredentialGrant,
    options?: { subject?: string; ttlSeconds?: number },
  ): Promise<CredentialFile>;
}

export async function testMesh(): Promise<TestMesh> {
  const pair = await generateSigningKeyPair();
  const signingKey = await importSigningKey(pair.privatePem, 'test key');
  return {
    ...pair,
    signingKey,
    trustedKeys: await importTrustedKeys(pair.publicPem, 'test key'),
    mint: (grant, options = {}) =>
      mintCredential({
        signingKey,
        grant,
        subject: options.subject ?? 'test',
        ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      }),
  };
}
