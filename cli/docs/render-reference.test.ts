import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { renderReference } from './render-reference.js';

describe('docs/meshctl.md', () => {
  it('is the CLI help as it is now (run `npm run docs` after changing a command)', () => {
    const onDisk = readFileSync(new URL('../../docs/meshctl.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderReference(buildProgram()));
  });

  it('covers every command', () => {
    const reference = renderReference(buildProgram());
    for (const command of [
      'validate',
      'generate',
      'registry start',
      'list',
      'status',
      'events',
      'call',
      'start',
      'stop',
    ]) {
      expect(reference).toContain(`## meshctl ${command}\n`);
    }
  });
});
