import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { npmRange } from './version-range.js';

const versions = ['0.9.0', '1.0.0', '1.2.0', '1.2.5', '1.3.0', '1.9.9', '2.0.0', '2.1.0', '3.0.0'];

/** The versions of the list that the range accepts, by npm's rules after translation. */
function accepted(range: string): string[] {
  const translated = npmRange(range);
  if (!translated.ok) throw new Error(translated.problem);
  expect(semver.validRange(translated.range)).not.toBeNull();
  return versions.filter((version) => semver.satisfies(version, translated.range));
}

describe('npmRange', () => {
  it.each(['>=1.0.0 <2', '^1.2', '~1.2.0 || >=3', '1.x', '*', '', '1.0 - 2.0'])(
    'leaves npm syntax %j as it is',
    (range) => {
      expect(npmRange(range)).toEqual({ ok: true, range });
    },
  );

  it('reads commas as conditions that must all hold, spaces around them or not', () => {
    expect(accepted('>=1.0.0,<2.0.0')).toEqual(['1.0.0', '1.2.0', '1.2.5', '1.3.0', '1.9.9']);
    expect(accepted('>= 1.2, < 2.0.0')).toEqual(['1.2.0', '1.2.5', '1.3.0', '1.9.9']);
    expect(accepted('>=1.0.0,<2.0.0 || >=3')).toEqual([
      '1.0.0',
      '1.2.0',
      '1.2.5',
      '1.3.0',
      '1.9.9',
      '3.0.0',
    ]);
  });

  it('reads != as every version but that one', () => {
    expect(accepted('!=1.2.0')).toEqual(versions.filter((version) => version !== '1.2.0'));
    expect(accepted('>=1.0.0, !=1.2.0, <2.0.0')).toEqual(['1.0.0', '1.2.5', '1.3.0', '1.9.9']);
    expect(accepted('^1.0.0 !=1.3.0 != 1.2.5')).toEqual(['1.0.0', '1.2.0', '1.9.9']);
  });

  it('reads != with a partial version as outside that x-range', () => {
    expect(accepted('^1, !=1.2')).toEqual(['1.0.0', '1.3.0', '1.9.9']);
  });

  it('keeps npm prerelease rules through the translation', () => {
    const translated = npmRange('>=1.0.0, !=1.2.0');
    if (!translated.ok) throw new Error(translated.problem);
    expect(semver.satisfies('1.5.0-beta.1', translated.range)).toBe(false);
    const opted = npmRange('>=1.5.0-0, !=1.5.0-beta.1');
    if (!opted.ok) throw new Error(opted.problem);
    expect(semver.satisfies('1.5.0-beta.2', opted.range)).toBe(true);
    expect(semver.satisfies('1.5.0-beta.1', opted.range)).toBe(false);
  });

  it('joins a hyphen range to other conditions as comparators', () => {
    expect(accepted('1.0 - 2.0, !=1.2.0')).toEqual(['1.0.0', '1.2.5', '1.3.0', '1.9.9', '2.0.0']);
  });

  it.each([
    ['>=1.0.0,', 'a comma with no condition on one side; remove it'],
    [',<2', 'a comma with no condition on one side; remove it'],
    ['>=1, ,<2', 'a comma with no condition on one side; remove it'],
    ['!1.2.0', '"!" must be followed by "=" and a version, as in !=1.2.0'],
    ['>=1 !', '"!" must be followed by "=" and a version, as in !=1.2.0'],
    [
      '!=1.0.0 !=1.0.1 !=1.0.2 !=1.0.3 !=1.0.4 !=1.0.5 !=1.0.6',
      'at most 6 != conditions per || alternative; narrow the range instead',
    ],
  ])('refuses %j: %s', (range, problem) => {
    expect(npmRange(range)).toEqual({ ok: false, problem });
  });

  it('translates a bad version after != into a range npm refuses', () => {
    const translated = npmRange('!=banana');
    expect(translated.ok && semver.validRange(translated.range)).toBeNull();
  });
});
