/**
 * Certificates made at test time with Debian's `openssl` (no private key is ever committed): a
 * throw-away CA and a server certificate it signed for 127.0.0.1 and localhost, in a temporary
 * folder that `remove()` deletes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA's PEM text. */
  readonly ca: string;
  remove(): void;
}

export function makeTestCertificates(): TestCertificates {
  const folder = mkdtempSync(join(tmpdir(), 'mesh-tls-'));
  const path = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    // A new P-256 key and, for the CA, its self-signed certificate, else a signing request.
    const newKey = (name: string, out: string, subject: string, selfSigned: boolean) =>
      openssl(
        'req',
        ...(selfSigned ? ['-x509', '-days', '2'] : []),
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        path(`${name}.key`),
        '-out',
        path(out),
        '-subj',
        subject,
      );
    newKey('ca', 'ca.pem', '/CN=mesh test CA', true);
    newKey('server', 'server.csr', '/CN=127.0.0.1', false);
    const extensions = path('server.ext');
    execFileSync('sh', [
      '-c',
      `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${extensions}'`,
    ]);
    openssl(
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-out',
      path('server.pem'),
      '-days',
      '2',
      '-extfile',
      extensions,
    );
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    caFile: path('ca.pem'),
    certFile: path('server.pem'),
    keyFile: path('server.key'),
    ca: readFileSync(path('ca.pem'), 'utf8'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
