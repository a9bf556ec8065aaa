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
  it('includes prereleases, as resolution does', () => {
    const range = parsedRange('>=1.0.0');
    expect(range?.test(parsedVersion('2.0.0-rc.1')!)).toBe(true);
    expect(range?.test(parsedVersion('0.9.0')!)).toBe(false);
    expect(parsedRange('>=1.0.0')).toBe(range);
  });

  it('answers null for text that is not a range', () => {
    expect(parsedRange('>=banana')).toBeNull();
  });
});
