import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { CredentialGrant } from './grant.js';
import { type Key, meshAlgorithm, type TrustedKey } from './signing-keys.js';
import { TrustError } from './trust-error.js';

/** `typ` of a credential's header: nothing else the mesh signs can pass for one. */
export const credentialType = 'mesh-credential+jwt';
export const meshIssuer = 'mcp-mesh';

/**
 * What `meshctl trust mint` writes and an agent reads (MCP_MESH_CREDENTIAL_FILE): the credential
 * (a JWT signed by the mesh key, sent to the registry as a bearer token) and the holder's own
 * private key (bound to the credential by its `cnf` claim), which signs the agent's caller tokens.
 */
export interface CredentialFile {
  readonly credential: string;
  readonly holder_key: JWK;
}

/** A credential whose signature, issuer, type and lifetime checked out. */
export interface VerifiedCredential {
  /** Who it was minted for (a label; the grant says what it allows). */
  readonly subject: string;
  readonly grant: CredentialGrant;
  /** The holder's public key, when the credential binds one (it signs caller tokens). */
  readonly holderKey?: JWK;
  /** Seconds since the epoch; undefined: it does not expire. */
  readonly expiresAt?: number;
}

/** Mints a credential for `grant`, signed with the mesh signing key, with a new holder key pair. */
export async function mintCredential(options: {
  readonly signingKey: TrustedKey;
  readonly subject: string;
  readonly grant: CredentialGrant;
  /** Seconds it stays valid; undefined: no expiry. */
  readonly ttlSeconds?: number;
}): Promise<CredentialFile> {
  const { SignJWT, generateKeyPair, exportJWK } = await import('jose');
  const holder = await generateKeyPair(meshAlgorithm, { crv: 'Ed25519', extractable: true });
  const holderPublic = await exportJWK(holder.publicKey);
  const jwt = new SignJWT({ mesh: options.grant, cnf: { jwk: holderPublic } })
    .setProtectedHeader({ alg: meshAlgorithm, typ: credentialType, kid: options.signingKey.kid })
    .setIssuer(meshIssuer)
    .setSubject(options.subject)
    .setIssuedAt()
    .setJti(randomUUID());
  if (options.ttlSeconds !== undefined)
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds);
  return {
    credential: await jwt.sign(options.signingKey.key),
    holder_key: await exportJWK(holder.privateKey),
  };
}

// Verified credentials by their text: a verification costs ~0.7 ms, and the same credential
// arrives with every heartbeat and inside every caller token.
const cacheLimit = 10_000;

/** Checks credentials against the mesh's public keys, remembering those already checked. */
export class CredentialVerifier {
  private readonly verified = new Map<string, VerifiedCredential>();

  constructor(private readonly keys: readonly TrustedKey[]) {}

  /** The credential's grant, or a TrustError (`invalid_credential`, `expired`). */
  async verify(
    credential: string,
    nowSeconds = Math.floor(Date.now() / 1000),
  ): Promise<VerifiedCredential> {
    const known = this.verified.get(credential);
    if (known !== undefined) {
      if (known.expiresAt !== undefined && known.expiresAt <= nowSeconds) {
        this.verified.delete(credential);
        throw new TrustError(
          'expired',
          `the credential of "${known.subject}" expired; mint a new one with "meshctl trust mint"`,
        );
      }
      return known;
    }
    const result = await this.check(credential);
    if (this.verified.size >= cacheLimit) this.verified.clear();
    this.verified.set(credential, result);
    return result;
  }

  private async check(credential: string): Promise<VerifiedCredential> {
    const { jwtVerify, decodeProtectedHeader, errors } = await import('jose');
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(credential).kid;
    } catch {
      throw new TrustError(
        'invalid_credential',
        'the credential is not a JWT; present the "credential" of a file that "meshctl trust mint" wrote',
      );
    }
    const key: Key | undefined = this.keys.find((candidate) => candidate.kid === kid)?.key;
    if (key === undefined) {
      throw new TrustError(
        'invalid_credential',
        'the credential was not signed by a key this mesh trusts (MCP_MESH_TRUST_KEY); mint it with the mesh signing key',
      );
    }
    try {
      const { payload } = await jwtVerify(credential, key, {
        issuer: meshIssuer,
        typ: credentialType,
        algorithms: [meshAlgorithm],
        clockTolerance: 5,
      });
      const grant = checkedGrant(payload.mesh);
      const holderKey = (payload.cnf as { jwk?: JWK } | undefined)?.jwk;
      return {
        subject: typeof payload.sub === 'string' ? payload.sub : '',
        grant,
        ...(holderKey === undefined ? {} : { holderKey }),
        ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
      };
    } catch (error) {
      if (error instanceof TrustError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new TrustError(
          'expired',
          'the credential expired; mint a new one with "meshctl trust mint"',
        );
      throw new TrustError(
        'invalid_credential',
        `the credential was refused: ${(error as Error).message}`,
      );
    }
  }
}

function checkedGrant(value: unknown): CredentialGrant {
  const isList = (list: unknown) =>
    list === undefined || (Array.isArray(list) && list.every((entry) => typeof entry === 'string'));
  const grant = value as Record<string, unknown> | undefined;
  if (
    typeof grant !== 'object' ||
    grant === null ||
    !isList(grant.agents) ||
    !isList(grant.namespaces) ||
    !isList(grant.tags) ||
    (grant.admin !== undefined && typeof grant.admin !== 'boolean')
  ) {
    throw new TrustError('invalid_credential', 'the credential has no valid "mesh" grant claim');
  }
  return grant as CredentialGrant;
}
