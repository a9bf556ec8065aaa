import { describe, expect, it } from 'vitest';
import { createStyle, stripAnsi, visibleWidth, wantsColor } from './style.js';
import { formatTable, listCell } from './table.js';
import { age, ago, formatDuration, shortTimestamp } from './time.js';

describe('tables', () => {
  it('aligns columns by what is visible, without trailing spaces', () => {
    const red = createStyle(true).red;
    expect(
      formatTable(
        [
          [red('a'), 'bb', ''],
          ['ccc', 'd', 'e'],
        ],
        ['X', 'Y', 'Z'],
      ),
    ).toEqual(['X    Y   Z', `${red('a')}    bb`, 'ccc  d   e']);
    expect(formatTable([['a', 'b']], undefined, { indent: 2, gap: 1 })).toEqual(['  a b']);
    expect(formatTable([])).toEqual([]);
    expect(listCell([])).toBe('-');
    expect(listCell(['a', 'b'])).toBe('a, b');
  });
});

describe('colour', () => {
  it('is used on a terminal unless NO_COLOR is set or TERM is dumb', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { NODE_DISABLE_COLORS: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('is forced by FORCE_COLOR, even piped or on a dumb terminal, and refused by FORCE_COLOR=0', () => {
    for (const value of ['1', '2', '3', 'true']) {
      expect(wantsColor({ isTTY: false }, { FORCE_COLOR: value }), value).toBe(true);
    }
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1', TERM: 'dumb' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: 'false' })).toBe(false);
    // Empty is unset (as NO_COLOR's empty value is).
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '' })).toBe(false);
    // NO_COLOR wins: a person who asked for no colour gets none.
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('paints statuses, and takes no width', () => {
    const style = createStyle(true);
    expect(style.status('healthy')).toBe('\u001b[32mhealthy\u001b[39m');
    expect(style.status('degraded')).toBe('\u001b[33mdegraded\u001b[39m');
    expect(style.status('unhealthy')).toBe('\u001b[31munhealthy\u001b[39m');
    expect(stripAnsi(style.bold('x'))).toBe('x');
    expect(visibleWidth(style.red('→ é'))).toBe(3);
    expect(createStyle(false).status('healthy')).toBe('healthy');
  });
});

describe('times', () => {
  it('shows spans in one short unit', () => {
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(59_999)).toBe('59s');
    expect(formatDuration(60_000)).toBe('1m');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(72 * 3_600_000)).toBe('3d');
  });

  it('measures ages from now, and shows what it cannot read as -', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(age('2026-03-01T11:59:30Z', now)).toBe('30s');
    expect(ago('2026-03-01T11:00:00Z', now)).toBe('1h ago');
    expect(ago(undefined, now)).toBe('-');
    expect(age('yesterday', now)).toBe('-');
    expect(shortTimestamp('2026-03-01T11:59:30.456Z')).toBe('2026-03-01 11:59:30Z');
    expect(shortTimestamp('garbage')).toBe('garbage');
  });
});
