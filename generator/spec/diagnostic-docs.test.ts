import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from './diagnostic.js';

// docs/spec.md documents every diagnostic code in a table under "## Diagnostics", one row per
// code starting with "| `code` |". This keeps that table and `diagnosticCodes` in step.

const specDoc = new URL('../../docs/spec.md', import.meta.url);

function diagnosticsSection(): string {
  const text = readFileSync(specDoc, 'utf8');
  const start = text.search(/^## Diagnostics\s*$/m);
  expect(start, 'docs/spec.md has a "## Diagnostics" section').toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 1);
  const next = rest.search(/^## /m);
  return next === -1 ? rest : rest.slice(0, next);
}

describe('docs/spec.md', () => {
  it('documents every diagnostic code in its Diagnostics section', () => {
    const section = diagnosticsSection();
    const undocumented = diagnosticCodes.filter((code) => !section.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('documents no code the validator does not have', () => {
    const documented = [...diagnosticsSection().matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map(
      (match) => match[1],
    );
    const known = new Set<string>(diagnosticCodes);
    expect(documented.filter((code) => !known.has(code as string))).toEqual([]);
    expect(documented.length).toBeGreaterThan(0);
  });
});
