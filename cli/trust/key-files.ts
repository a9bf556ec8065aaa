import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type CredentialGrant,
  generateSigningKeyPair,
  importSigningKey,
  mintCredential,
} from '@mcp-mesh/runtime/trust';
import { UsageError } from '../usage-error.js';

/** Writes `<base>.key` (0600) and `<base>.pub`; refuses to overwrite unless `force`. */
export async function writeSigningKeyPair(
  base: string,
  force: boolean,
): Promise<{ privatePath: string; publicPath: string }> {
  const privatePath = `${base}.key`;
  const publicPath = `${base}.pub`;
  for (const path of [privatePath, publicPath]) {
    if (!force && existsSync(path))
      throw new UsageError(
        `${path} exists; pass --force to replace it (credentials minted from the old key stop working)`,
      );
  }
  const pair = await generateSigningKeyPair();
  writeFileSync(privatePath, pair.privatePem, { mode: 0o600 });
  writeFileSync(publicPath, pair.publicPem, { mode: 0o644 });
  return { privatePath, publicPath };
}

/** Mints a credential file's JSON text; writes it (0600) when `outPath` is given. */
export async function mintCredentialFile(options: {
  readonly keyPath: string;
  readonly agents: readonly string[];
  readonly namespaces: readonly string[];
  readonly tags: readonly string[];
  readonly admin: boolean;
  readonly subject?: string;
  readonly ttlSeconds?: number;
  readonly outPath?: string;
}): Promise<string> {
  if (!options.admin && options.agents.length === 0 && options.namespaces.length === 0)
    throw new UsageError('a credential must cover something: give --agent, --namespace or --admin');
  let pem: string;
  try {
    pem = readFileSync(options.keyPath, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --key ${options.keyPath} (${(error as NodeJS.ErrnoException).code}); make one with \`meshctl trust keygen\``,
    );
  }
  const grant: CredentialGrant = {
    ...(options.agents.length === 0 ? {} : { agents: [...options.agents] }),
    ...(options.namespaces.length === 0 ? {} : { namespaces: [...options.namespaces] }),
    ...(options.tags.length === 0 ? {} : { tags: [...options.tags] }),
    ...(options.admin ? { admin: true } : {}),
  };
  const file = await mintCredential({
    signingKey: await importSigningKey(pem, `--key ${options.keyPath}`),
    subject:
      options.subject ??
      (options.admin ? 'admin' : [...options.agents, ...options.namespaces].join(',')),
    grant,
    ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
  });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (options.outPath !== undefined) writeFileSync(options.outPath, text, { mode: 0o600 });
  return text;
}
