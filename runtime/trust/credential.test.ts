import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialVerifier } from './credential.js';
import { grantCovers } from './grant.js';
import { importSigningKey, importTrustedKeys } from './signing-keys.js';
import { type TestMesh, testMesh } from './trust.fixture.js';
import { TrustError, trustErrorCodes } from './trust-error.js';

describe('credentials', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await testMesh();
  });

  it('verify to their grant and subject', async () => {
    const file = await mesh.mint(
      { agents: ['greeter'], tags: ['edge'] },
      { subject: 'greeter team', ttlSeconds: 600 },
    );
    const verified = await new CredentialVerifier(mesh.trustedKeys).verify(file.credential);
    expect(verified.subject).toBe('greeter team');
    expect(verified.grant).toEqual({ agents: ['greeter'], tags: ['edge'] });
    expect(verified.holderKey?.kty).toBe('OKP');
    expect(verified.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('expire, also once cached', async () => {
    const file = await mesh.mint({ agents: ['a'] }, { ttlSeconds: 30 });
    const verifier = new CredentialVerifier(mesh.trustedKeys);
    await verifier.verify(file.credential);
    const later = Math.floor(Date.now() / 1000) + 120;
    const error = await verifier.verify(file.credential, later).catch((thrown: unknown) => thrown);
    expect((error as TrustError).code).toBe('expired');
  });

  it('are accepted under any key of a rotation, refused under another', async () => {
    const next = await testMesh();
    const both = await importTrustedKeys(`${mesh.publicPem}\n${next.publicPem}`, 'rotation');
    const verifier = new CredentialVerifier(both);
    await verifier.verify((await mesh.mint({ agents: ['a'] })).credential);
    await verifier.verify((await next.mint({ agents: ['a'] })).credential);
    const stranger = await testMesh();
    const error = await verifier
      .verify((await stranger.mint({ agents: ['a'] })).credential)
      .catch((thrown: unknown) => thrown);
    expect((error as TrustError).code).toBe('invalid_credential');
  });

  it('refuse keys that are not the mesh kind with bad_configuration', async () => {
    for (const attempt of [
      importTrustedKeys('no pem here', 'MCP_MESH_TRUST_KEY'),
      importSigningKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', '--key'),
    ]) {
      const error = await attempt.catch((thrown: unknown) => thrown);
      expect((error as TrustError).code).toBe('bad_configuration');
    }
  });
});

describe('grantCovers', () => {
  it('matches names within namespaces; an admin covers all; an empty grant nothing', () => {
    const agent = { name: 'greeter', namespace: 'web' };
    expect(grantCovers({ agents: ['greeter'] }, agent)).toBe(true);
    expect(grantCovers({ agents: ['greeter'], namespaces: ['finance'] }, agent)).toBe(false);
    expect(grantCovers({ namespaces: ['web'] }, agent)).toBe(true);
    expect(grantCovers({ agents: ['other'] }, agent)).toBe(false);
    expect(grantCovers({ admin: true }, agent)).toBe(true);
    expect(grantCovers({ tags: ['x'] }, agent)).toBe(false);
  });
});

describe('TrustError codes', () => {
  it('are each documented in docs/security.md', () => {
    const docs = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    for (const code of trustErrorCodes) expect(docs).toContain(`| \`${code}\` |`);
  });

  it('map to 401 (present something), 403 (not enough) or 500 (setting)', () => {
    expect(new TrustError('missing_credential', '').httpStatus).toBe(401);
    expect(new TrustError('wrong_audience', '').httpStatus).toBe(401);
    expect(new TrustError('not_permitted', '').httpStatus).toBe(403);
    expect(new TrustError('bad_configuration', '').httpStatus).toBe(500);
  });
});
