import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MeshError, meshErrorCodes } from './mesh-error.js';

describe('MeshError', () => {
  it('keeps its code, details and cause', () => {
    const cause = new Error('connect ECONNREFUSED');
    const error = new MeshError('transport', 'clock-1 is unreachable', {
      capability: 'date_service',
      provider: 'clock-1',
      cause,
      retryable: true,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MeshError');
    expect(error.code).toBe('transport');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details.capability).toBe('date_service');
  });

  it('normalises anything thrown', () => {
    const mesh = new MeshError('timeout', 'late');
    expect(MeshError.from(mesh)).toBe(mesh);
    expect(MeshError.from(new DOMException('gone', 'TimeoutError')).code).toBe('timeout');
    expect(MeshError.from(new DOMException('stop', 'AbortError')).code).toBe('cancelled');
    const other = MeshError.from('boom');
    expect(other.code).toBe('transport');
    expect(other.message).toBe('boom');
    expect(other.retryable).toBe(false);
  });

  it('documents every code in docs/runtime.md, and nothing else', () => {
    const docs = readFileSync(new URL('../../docs/runtime.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('## Errors'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual([...meshErrorCodes]);
  });
});
