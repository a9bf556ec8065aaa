import { describe, expect, it } from 'vitest';
import { parsedRange, parsedVersion } from './parsed-semver.js';

describe('parsedVersion', () => {
  it('parses a version once and answers the same object after', () => {
    const version = parsedVersion('1.2.3-beta.1');
    expect(version?.version).toBe('1.2.3-beta.1');
    expect(parsedVersion('1.2.3-beta.1')).toBe(version);
  });

  it('answers null for text that is not a version, every time', () => {
    expect(parsedVersion('latest')).toBeNull();
    expect(parsedVersion('latest')).toBeNull();
  });

  it('keeps answering after many different versions', () => {
    for (let patch = 0; patch < 2500; patch++) {
      expect(parsedVersion(`1.0.${patch}`)?.patch).toBe(patch);
    }
  });
});

describe('parsedRange', () => {
  it("follows npm's prerelease rule: only a range naming a prerelease of that version", () => {
    const range = parsedRange('>=1.0.0');
    expect(range?.test(parsedVersion('2.0.0-rc.1')!)).toBe(false);
    expect(range?.test(parsedVersion('2.0.0')!)).toBe(true);
    expect(range?.test(parsedVersion('0.9.0')!)).toBe(false);
    expect(parsedRange('>=2.0.0-rc.0')?.test(parsedVersion('2.0.0-rc.1')!)).toBe(true);
    expect(parsedRange('>=1.0.0')).toBe(range);
  });

  it('answers null for text that is not a range', () => {
    expect(parsedRange('>=banana')).toBeNull();
  });
});
