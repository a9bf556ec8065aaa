import type { CryptoKey, JWK } from 'jose';
import type { CredentialFile, CredentialVerifier } from './credential.js';
import { meshIssuer } from './credential.js';
import { type AgentName, grantCovers } from './grant.js';
import { meshAlgorithm } from './signing-keys.js';
import { TrustError } from './trust-error.js';

/** `typ` of a caller token's header. */
export const callerTokenType = 'mesh-caller+jwt';

/** Who called, as a verified caller token says. */
export interface CallerIdentity {
  readonly agentId: string;
  readonly name: string;
  readonly namespace: string;
  /** The tags the caller's credential grants. */
  readonly tags: readonly string[];
}

/** How long a caller token lives, and how long before its end a new one is signed. */
export interface CallerTokenTimes {
  readonly ttlSeconds: number;
  readonly renewBeforeSeconds: number;
}

export const defaultCallerTokenTimes: CallerTokenTimes = { ttlSeconds: 60, renewBeforeSeconds: 15 };

/**
 * Signs this agent's caller tokens with its holder key: one per audience (the provider's
 * capability), reused until shortly before it expires, so a call pays a map lookup, not a
 * signature. The token carries the credential, so a provider needs nothing but the mesh key.
 */
export class CallerTokenIssuer {
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();
  private key: CryptoKey | Uint8Array | undefined;

  constructor(
    private readonly file: CredentialFile,
    private readonly agent: AgentName & { readonly agentId: string },
    private readonly times: CallerTokenTimes = defaultCallerTokenTimes,
  ) {}

  /** A token naming this agent for `audience`. */
  async tokenFor(audience: string, nowMs = Date.now()): Promise<string> {
    const cached = this.tokens.get(audience);
    if (cached !== undefined && cached.renewAt > nowMs) return cached.token;
    const { SignJWT, importJWK } = await import('jose');
    this.key ??= await importJWK(this.file.holder_key, meshAlgorithm);
    const issuedAt = Math.floor(nowMs / 1000);
    const token = await new SignJWT({
      ns: this.agent.namespace,
      agent_id: this.agent.agentId,
      cred: this.file.credential,
    })
      .setProtectedHeader({ alg: meshAlgorithm, typ: callerTokenType })
      .setIssuer(meshIssuer)
      .setSubject(this.agent.name)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.times.ttlSeconds)
      .sign(this.key);
    this.tokens.set(audience, {
      token,
      renewAt: (issuedAt + this.times.ttlSeconds - this.times.renewBeforeSeconds) * 1000,
    });
    return token;
  }
}

const cacheLimit = 10_000;

/**
 * Verifies caller tokens: the credential inside against the mesh keys, the token against the
 * holder key the credential binds, the audience, the lifetime, and that the credential covers
 * the name the token claims. A token already verified is answered from memory until it expires.
 */
export class CallerTokenVerifier {
  private readonly verified = new Map<
    string,
    { identity: CallerIdentity; audience: string; expiresAt: number }
  >();

  constructor(private readonly credentials: CredentialVerifier) {}

  /** The caller, or a TrustError (`invalid_credential`, `expired`, `wrong_audience`, `not_permitted`). */
  async verify(token: string, audience: string, nowMs = Date.now()): Promise<CallerIdentity> {
    const known = this.verified.get(token);
    if (known !== undefined && known.expiresAt * 1000 > nowMs) {
      if (known.audience !== audience) throw wrongAudience(known.audience, audience);
      return known.identity;
    }
    const checked = await this.check(token, audience, nowMs);
    if (this.verified.size >= cacheLimit) this.verified.clear();
    this.verified.set(token, checked);
    return checked.identity;
  }

  private async check(token: string, audience: string, nowMs: number) {
    const { decodeJwt, importJWK, jwtVerify, errors } = await import('jose');
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new TrustError('invalid_credential', 'the caller token is not a JWT');
    }
    if (typeof claims.cred !== 'string')
      throw new TrustError('invalid_credential', 'the caller token carries no credential ("cred")');
    const credential = await this.credentials.verify(claims.cred, Math.floor(nowMs / 1000));
    if (credential.holderKey === undefined)
      throw new TrustError(
        'invalid_credential',
        'the credential in the caller token binds no holder key',
      );
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      const key = await importJWK(credential.holderKey as JWK, meshAlgorithm);
      ({ payload } = await jwtVerify(token, key, {
        issuer: meshIssuer,
        typ: callerTokenType,
        algorithms: [meshAlgorithm],
        audience,
        clockTolerance: 5,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new TrustError(
          'expired',
          'the caller token expired; the caller signs a new one per minute, check its clock',
        );
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud')
        throw wrongAudience(String(claims.aud), audience);
      throw new TrustError(
        'invalid_credential',
        `the caller token was refused: ${(error as Error).message}`,
      );
    }
    const identity: CallerIdentity = {
      agentId: typeof payload.agent_id === 'string' ? payload.agent_id : '',
      name: payload.sub as string,
      namespace: typeof payload.ns === 'string' ? payload.ns : 'default',
      tags: credential.grant.tags ?? [],
    };
    if (!grantCovers(credential.grant, identity)) {
      throw new TrustError(
        'not_permitted',
        `the caller's credential ("${credential.subject}") does not cover agent "${identity.name}" in namespace "${identity.namespace}"`,
      );
    }
    return { identity, audience, expiresAt: payload.exp as number };
  }
}

function wrongAudience(got: string, wanted: string): TrustError {
  return new TrustError(
    'wrong_audience',
    `the caller token was made for "${got}", not for capability "${wanted}"`,
  );
}
