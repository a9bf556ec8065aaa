/**
 * A `.dockerignore` as BuildKit applies it: patterns relative to the context's root (`dist` is
 * the root's dist only; `**` spans folders), `*` and `?` within one path segment, `!` re-includes,
 * the last matching pattern wins, and a pattern that matches a folder excludes what it holds.
 */
export function dockerIgnore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, regex: patternRegex(pattern) };
    });
  return (path) => {
    const segments = path.replace(/^\.?\/+/, '').split('/');
    const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
    let excluded = false;
    for (const { negated, regex } of patterns) {
      if (prefixes.some((prefix) => regex.test(prefix))) excluded = !negated;
    }
    return excluded;
  };
}

function patternRegex(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*' && pattern[index + 1] === '*') {
      const slash = pattern[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
