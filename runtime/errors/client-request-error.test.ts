import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClientRequestError, clientRequestErrorCodes } from './client-request-error.js';

describe('ClientRequestError', () => {
  it('keeps its code and the feature asked for', () => {
    const error = new ClientRequestError('capability_missing', 'roots', 'no roots');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ClientRequestError');
    expect(error.code).toBe('capability_missing');
    expect(error.feature).toBe('roots');
  });

  it('documents every code in docs/runtime.md, and nothing else', () => {
    const docs = readFileSync(new URL('../../docs/runtime.md', import.meta.url), 'utf8');
    const section = docs.slice(
      docs.indexOf('### Asking the client during the call'),
      docs.indexOf('### Multi-round input'),
    );
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual([...clientRequestErrorCodes]);
  });
});
