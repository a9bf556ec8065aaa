import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialVerifier, importTrustedKeys } from '@mcp-mesh/runtime/trust';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { mintCredentialFile, writeSigningKeyPair } from './key-files.js';

const folder = mkdtempSync(join(tmpdir(), 'meshctl-trust-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('meshctl trust keygen and mint', () => {
  it('writes a private key only its owner reads, and credentials the public key verifies', async () => {
    const base = join(folder, 'mesh');
    const { privatePath, publicPath } = await writeSigningKeyPair(base, false);
    expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    await expect(writeSigningKeyPair(base, false)).rejects.toBeInstanceOf(UsageError);

    const out = join(folder, 'weather.json');
    await mintCredentialFile({
      keyPath: privatePath,
      agents: ['weather'],
      namespaces: [],
      tags: ['edge'],
      admin: false,
      ttlSeconds: 3_600,
      outPath: out,
    });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(out, 'utf8')) as {
      credential: string;
      holder_key: { d?: string };
    };
    expect(file.holder_key.d).toBeTypeOf('string');
    const keys = await importTrustedKeys(readFileSync(publicPath, 'utf8'), 'test');
    const verified = await new CredentialVerifier(keys).verify(file.credential);
    expect(verified).toMatchObject({
      subject: 'weather',
      grant: { agents: ['weather'], tags: ['edge'] },
    });
  });

  it('refuses a credential that covers nothing, and a key file that is not there', async () => {
    const options = { agents: [], namespaces: [], tags: [], admin: false };
    await expect(
      mintCredentialFile({ keyPath: join(folder, 'mesh.key'), ...options }),
    ).rejects.toThrow(/--agent, --namespace or --admin/);
    await expect(
      mintCredentialFile({ keyPath: join(folder, 'absent.key'), ...options, admin: true }),
    ).rejects.toThrow(/meshctl trust keygen/);
  });
});
