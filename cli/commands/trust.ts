import { type Command, InvalidArgumentError } from 'commander';

interface KeygenFlags {
  out: string;
  force?: boolean;
}

interface MintFlags {
  key: string;
  agent: string[];
  namespace: string[];
  tag: string[];
  admin?: boolean;
  subject?: string;
  ttl?: number;
  out?: string;
}

/** `meshctl trust keygen` and `meshctl trust mint`: the mesh signing key and credentials. */
export function registerTrust(program: Command): void {
  const trust = program
    .command('trust')
    .description(
      'registration credentials and caller tokens (docs/security.md): make the mesh signing key, mint credentials from it',
    );
  trust
    .command('keygen')
    .description(
      'write a new Ed25519 mesh signing key pair: <out>.key (private, mode 0600: keep it off the cluster) and <out>.pub (MCP_MESH_TRUST_KEY of the registry and agents)',
    )
    .option('--out <path>', 'path of the pair without extension', 'mesh-signing')
    .option('--force', 'overwrite existing files')
    .action(async (flags: KeygenFlags) => {
      const { writeSigningKeyPair } = await import('../trust/key-files.js');
      const written = await writeSigningKeyPair(flags.out, flags.force ?? false);
      process.stdout.write(`wrote ${written.privatePath} (private) and ${written.publicPath}\n`);
    });
  trust
    .command('mint')
    .description(
      'mint a credential (a JWT signed by the mesh key, with a new holder key) for agents by name and/or namespace, or an admin; the file is the MCP_MESH_CREDENTIAL_FILE of those agents',
    )
    .requiredOption('--key <path>', 'the private mesh signing key (from `meshctl trust keygen`)')
    .option('--agent <name>', 'an agent name it covers (repeatable)', collect, [])
    .option('--namespace <name>', 'a namespace it covers (repeatable)', collect, [])
    .option('--tag <tag>', 'a tag the holder carries as a caller (repeatable)', collect, [])
    .option('--admin', 'an admin credential: any agent, the proxy, protected event reads')
    .option('--subject <label>', 'who it is for, shown in events and errors')
    .option('--ttl <days>', 'days it stays valid (default: no expiry)', days)
    .option('--out <path>', 'write the credential file here (mode 0600) instead of stdout')
    .action(async (flags: MintFlags) => {
      const { mintCredentialFile } = await import('../trust/key-files.js');
      const text = await mintCredentialFile({
        keyPath: flags.key,
        agents: flags.agent,
        namespaces: flags.namespace,
        tags: flags.tag,
        admin: flags.admin ?? false,
        ...(flags.subject === undefined ? {} : { subject: flags.subject }),
        ...(flags.ttl === undefined ? {} : { ttlSeconds: Math.round(flags.ttl * 86_400) }),
        ...(flags.out === undefined ? {} : { outPath: flags.out }),
      });
      if (flags.out === undefined) process.stdout.write(text);
      else process.stdout.write(`wrote ${flags.out}\n`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function days(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a positive number of days, e.g. --ttl 90');
  return parsed;
}
