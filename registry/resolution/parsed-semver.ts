import { npmRange } from '@mcp-mesh/runtime/shared';
import semver from 'semver';

// Resolution tests the same few versions against the same few ranges for every dependency of
// every heartbeat; parsing them each time was most of its cost. Agents choose these strings, so
// the memo is bounded: past the limit it starts over.
const memoLimit = 1000;
const versions = new Map<string, semver.SemVer | null>();
const ranges = new Map<string, semver.Range | null>();

function memoized<T>(memo: Map<string, T>, key: string, parse: (key: string) => T): T {
  const known = memo.get(key);
  if (known !== undefined || memo.has(key)) return known as T;
  if (memo.size >= memoLimit) memo.clear();
  const parsed = parse(key);
  memo.set(key, parsed);
  return parsed;
}

/** A version parsed (null when it is not semver); the object is shared: do not change it. */
export function parsedVersion(version: string): semver.SemVer | null {
  // With the ranges' (default) options: semver compares a version parsed with other options
  // by parsing its text again.
  return memoized(versions, version, (text) => {
    try {
      return new semver.SemVer(text);
    } catch {
      return null;
    }
  });
}

/**
 * A range parsed (null when it is not a range), in npm's syntax or the predecessor's (see
 * `npmRange`); the object is shared: do not change it.
 * npm's prerelease rule holds, as it did for the predecessor: a prerelease satisfies only a
 * range that names a prerelease of the same major.minor.patch, so `^1.4` never picks
 * `1.5.0-beta.1` (nor ranks it above `1.4.2`), while `>=1.5.0-0` opts in.
 */
export function parsedRange(range: string): semver.Range | null {
  return memoized(ranges, range, (text) => {
    const translated = npmRange(text);
    if (!translated.ok) return null;
    try {
      return new semver.Range(translated.range);
    } catch {
      return null;
    }
  });
}
