import { beforeAll, describe, expect, it } from 'vitest';
import { CallerGate } from './caller-gate.js';
import { CallerTokenIssuer, CallerTokenVerifier } from './caller-tokens.js';
import { CredentialVerifier } from './credential.js';
import { type TestMesh, testMesh } from './trust.fixture.js';
import { TrustError } from './trust-error.js';

const caller = { agentId: 'caller-1', name: 'caller', namespace: 'default' };

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TrustError);
  return (error as TrustError).code;
}

describe('caller tokens', () => {
  let mesh: TestMesh;
  let verifier: CallerTokenVerifier;
  beforeAll(async () => {
    mesh = await testMesh();
    verifier = new CallerTokenVerifier(new CredentialVerifier(mesh.trustedKeys));
  });

  it('names the calling agent for the audience it was made for', async () => {
    const issuer = new CallerTokenIssuer(
      await mesh.mint({ agents: ['caller'], tags: ['billing'] }),
      caller,
    );
    const identity = await verifier.verify(await issuer.tokenFor('weather'), 'weather');
    expect(identity).toEqual({
      agentId: 'caller-1',
      name: 'caller',
      namespace: 'default',
      tags: ['billing'],
    });
  });

  it('reuses a token until shortly before it expires, then signs a new one', async () => {
    const issuer = new CallerTokenIssuer(await mesh.mint({ agents: ['caller'] }), caller, {
      ttlSeconds: 60,
      renewBeforeSeconds: 15,
    });
    const now = Date.now();
    const first = await issuer.tokenFor('weather', now);
    expect(await issuer.tokenFor('weather', now + 40_000)).toBe(first);
    expect(await issuer.tokenFor('weather', now + 46_000)).not.toBe(first);
    expect(await issuer.tokenFor('clock', now)).not.toBe(first);
  });

  it('refuses a token made for another capability, also once it is cached', async () => {
    const issuer = new CallerTokenIssuer(await mesh.mint({ agents: ['caller'] }), caller);
    const token = await issuer.tokenFor('weather');
    expect(await refusal(verifier.verify(token, 'payments'))).toBe('wrong_audience');
    await verifier.verify(token, 'weather');
    expect(await refusal(verifier.verify(token, 'payments'))).toBe('wrong_audience');
  });

  it('refuses an expired token', async () => {
    const issuer = new CallerTokenIssuer(await mesh.mint({ agents: ['caller'] }), caller, {
      ttlSeconds: 10,
      renewBeforeSeconds: 1,
    });
    const token = await issuer.tokenFor('weather', Date.now() - 60_000);
    expect(await refusal(verifier.verify(token, 'weather'))).toBe('expired');
  });

  it('refuses a token whose name the credential does not cover', async () => {
    const issuer = new CallerTokenIssuer(await mesh.mint({ agents: ['someone-else'] }), caller);
    expect(await refusal(verifier.verify(await issuer.tokenFor('weather'), 'weather'))).toBe(
      'not_permitted',
    );
  });

  it('refuses a credential signed by another mesh, and text that is no token', async () => {
    const other = await testMesh();
    const issuer = new CallerTokenIssuer(await other.mint({ agents: ['caller'] }), caller);
    expect(await refusal(verifier.verify(await issuer.tokenFor('weather'), 'weather'))).toBe(
      'invalid_credential',
    );
    expect(await refusal(verifier.verify('not-a-jwt', 'weather'))).toBe('invalid_credential');
  });

  it('refuses a token signed by a key other than the one its credential binds', async () => {
    const stolen = await mesh.mint({ agents: ['caller'] });
    const impostorKey = (await mesh.mint({ agents: ['impostor'] })).holder_key;
    const issuer = new CallerTokenIssuer(
      { credential: stolen.credential, holder_key: impostorKey },
      caller,
    );
    expect(await refusal(verifier.verify(await issuer.tokenFor('weather'), 'weather'))).toBe(
      'invalid_credential',
    );
  });
});

describe('CallerGate', () => {
  let mesh: TestMesh;
  let gate: CallerGate;
  beforeAll(async () => {
    mesh = await testMesh();
    gate = new CallerGate(
      new CallerTokenVerifier(new CredentialVerifier(mesh.trustedKeys)),
      new Map([
        ['forecast', { capability: 'weather' }],
        [
          'pay',
          {
            capability: 'payments',
            allowedCallers: { namespaces: ['finance'], tags: ['billing'] },
          },
        ],
      ]),
    );
  });

  it('needs a bearer token on a guarded tool', async () => {
    expect(gate.guards('forecast')).toBe(true);
    expect(gate.guards('open-tool')).toBe(false);
    expect(await refusal(gate.admit('forecast', undefined))).toBe('missing_credential');
    expect(await refusal(gate.admit('forecast', 'Basic abc'))).toBe('missing_credential');
  });

  it('applies allowed_callers: every list given must hold the caller', async () => {
    const billing = { agentId: 'b-1', name: 'biller', namespace: 'finance' };
    const admitted = new CallerTokenIssuer(
      await mesh.mint({ namespaces: ['finance'], tags: ['billing'] }),
      billing,
    );
    expect((await gate.admit('pay', `Bearer ${await admitted.tokenFor('payments')}`)).name).toBe(
      'biller',
    );
    const untagged = new CallerTokenIssuer(await mesh.mint({ namespaces: ['finance'] }), billing);
    expect(await refusal(gate.admit('pay', `Bearer ${await untagged.tokenFor('payments')}`))).toBe(
      'not_permitted',
    );
    const elsewhere = new CallerTokenIssuer(
      await mesh.mint({ namespaces: ['web'], tags: ['billing'] }),
      {
        ...billing,
        namespace: 'web',
      },
    );
    expect(await refusal(gate.admit('pay', `Bearer ${await elsewhere.tokenFor('payments')}`))).toBe(
      'not_permitted',
    );
  });
});
