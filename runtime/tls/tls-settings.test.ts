import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from '../config/environment.js';
import { agentOrigin } from './agent-origin.js';
import { readTlsSettings, trustedCas } from './tls-settings.js';

const folder = mkdtempSync(join(tmpdir(), 'mesh-tls-settings-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const pem = join(folder, 'some.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
const notPem = join(folder, 'plain.txt');
writeFileSync(notPem, 'hello');

const read = (environment: NodeJS.ProcessEnv) =>
  readTlsSettings(readEnvironment(environment, EnvironmentError), EnvironmentError);
const refusal = (environment: NodeJS.ProcessEnv) => {
  try {
    read(environment);
  } catch (error) {
    return error as EnvironmentError;
  }
  throw new Error('accepted');
};

describe('readTlsSettings', () => {
  it('is off with nothing set, and reads a certificate with its key and a CA', () => {
    expect(read({})).toBeUndefined();
    expect(read({ MCP_MESH_TLS_CERT: pem, MCP_MESH_TLS_KEY: pem, MCP_MESH_TLS_CA: pem })).toEqual({
      certFile: pem,
      keyFile: pem,
      caFile: pem,
    });
    expect(read({ MCP_MESH_TLS_CA: pem })).toEqual({ caFile: pem });
  });

  it('refuses a certificate without its key, unreadable files and files that are not PEM', () => {
    expect(refusal({ MCP_MESH_TLS_CERT: pem }).variable).toBe('MCP_MESH_TLS_KEY');
    expect(refusal({ MCP_MESH_TLS_KEY: pem }).variable).toBe('MCP_MESH_TLS_CERT');
    const missing = refusal({ MCP_MESH_TLS_CA: join(folder, 'absent.pem') });
    expect(missing.variable).toBe('MCP_MESH_TLS_CA');
    expect(missing.message).toContain('ENOENT');
    expect(refusal({ MCP_MESH_TLS_CA: notPem }).message).toContain('not a PEM file');
  });

  it('trusts the system CAs and the configured one together', () => {
    const cas = trustedCas({ caFile: pem }) ?? [];
    expect(cas.length).toBeGreaterThan(1);
    expect(cas.at(-1)).toContain('BEGIN CERTIFICATE');
    expect(trustedCas(undefined)).toBeUndefined();
  });
});

describe('agentOrigin', () => {
  it('reaches registered http:// endpoints over https in a TLS mesh only', () => {
    expect(agentOrigin('http://10.0.0.7:8080', true)).toBe('https://10.0.0.7:8080');
    expect(agentOrigin('http://10.0.0.7:8080', false)).toBe('http://10.0.0.7:8080');
    expect(agentOrigin('https://a:1', true)).toBe('https://a:1');
  });
});
