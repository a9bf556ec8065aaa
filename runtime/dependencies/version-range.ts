/**
 * Dependency version ranges in the two syntaxes users bring: npm's (`>=1.0.0 <2`, `^1.2`,
 * `1.x || >=3`) and the predecessor's, which also joins conditions with commas
 * (`>=1.0.0,<2.0.0`) and excludes a version with `!=` (`!=1.2.0`). Both become one npm range,
 * which the registry and the spec checker test versions against; the text as written is what
 * travels and what messages quote.
 */

/** The npm range a dependency's `version` means, or why it means none. */
export type NpmRange =
  | { readonly ok: true; readonly range: string }
  | { readonly ok: false; readonly problem: string };

// Each `!=` doubles the alternatives of its `||` branch (below or above the version).
const maxExclusions = 6;
const exclusion = /!=\s*([^\s,|!]+)/g;
const hyphenRange = /^(\S+)\s+-\s+(\S+)$/;

/**
 * Translates a dependency's version range to npm's syntax: commas join conditions that must
 * all hold, `!=V` becomes `<V || >V` (outside the x-range for a partial `V` such as `1.2`),
 * and a hyphen range joined to other conditions becomes `>=A <=B`. Text without commas or
 * `!=` is npm syntax already and comes back unchanged. The result still has to parse as an
 * npm range: `!=banana` translates, and npm then refuses `<banana`.
 *
 * @example
 * npmRange('>=1.0.0,<2.0.0'); // { ok: true, range: '>=1.0.0 <2.0.0' }
 * npmRange('^1.0, !=1.2.0'); // { ok: true, range: '^1.0 <1.2.0 || ^1.0 >1.2.0' }
 */
export function npmRange(text: string): NpmRange {
  if (!text.includes(',') && !text.includes('!')) return { ok: true, range: text };
  const branches: string[] = [];
  for (const branch of text.split('||')) {
    const translated = translateBranch(branch);
    if (!translated.ok) return translated;
    branches.push(translated.range);
  }
  return { ok: true, range: branches.join(' || ') };
}

function translateBranch(branch: string): NpmRange {
  const conditions: string[] = [];
  const excluded: string[] = [];
  for (const part of branch.split(',')) {
    const rest = part.replace(exclusion, (_, version: string) => {
      excluded.push(version);
      return ' ';
    });
    if (rest.includes('!')) {
      return { ok: false, problem: `"!" must be followed by "=" and a version, as in !=1.2.0` };
    }
    const condition = rest.trim();
    if (condition === '') {
      if (part.trim() === '') {
        return { ok: false, problem: 'a comma with no condition on one side; remove it' };
      }
      continue;
    }
    const hyphen = hyphenRange.exec(condition);
    // npm reads a hyphen range only as a whole `||` branch; joined to more, it needs comparators.
    conditions.push(hyphen ? `>=${hyphen[1]} <=${hyphen[2]}` : condition);
  }
  if (excluded.length > maxExclusions) {
    return {
      ok: false,
      problem: `at most ${maxExclusions} != conditions per || alternative; narrow the range instead`,
    };
  }
  let combinations = [conditions.join(' ')];
  for (const version of excluded) {
    combinations = combinations.flatMap((base) => [`${base} <${version}`, `${base} >${version}`]);
  }
  return { ok: true, range: combinations.map((combination) => combination.trim()).join(' || ') };
}
