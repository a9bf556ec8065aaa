import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RegistryError, registryErrorStatus } from './registry-error.js';

const codes = Object.keys(registryErrorStatus);

describe('RegistryError', () => {
  it('answers its status and the ErrorResponse body', () => {
    const error = new RegistryError('bad_request', 'body /http_port: must be integer', {
      field: '/http_port',
    });
    expect(error.status).toBe(400);
    expect(error.toBody(new Date('2026-01-02T03:04:05.000Z'))).toEqual({
      error: 'bad_request',
      message: 'body /http_port: must be integer',
      field: '/http_port',
      timestamp: '2026-01-02T03:04:05.000Z',
    });
  });

  it('documents every code in docs/registry.md with its status', () => {
    const docs = readFileSync(new URL('../../docs/registry.md', import.meta.url), 'utf8');
    for (const code of codes) {
      expect(docs).toContain(
        `| \`${code}\` | ${registryErrorStatus[code as keyof typeof registryErrorStatus]} |`,
      );
    }
  });

  it('has exactly the codes the OpenAPI document publishes', () => {
    const document = parse(
      readFileSync(new URL('../../spec/registry.openapi.yaml', import.meta.url), 'utf8'),
    );
    expect([...document.components.schemas.ErrorCode.enum].sort()).toEqual([...codes].sort());
  });
});
