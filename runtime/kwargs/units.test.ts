import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseSizeBytes } from './units.js';

describe('parseDurationMs', () => {
  it.each([
    [30, 30_000],
    [0.5, 500],
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
  ])('reads %j as %d ms', (input, expected) => {
    expect(parseDurationMs(input)).toBe(expected);
  });

  it.each([['5'], ['5 minutes'], ['-1s'], [-3], [Number.NaN], [true], [null], ['s']])(
    'rejects %j',
    (input) => {
      expect(parseDurationMs(input)).toBeUndefined();
    },
  );
});

describe('parseSizeBytes', () => {
  it.each([
    [1024, 1024],
    ['512KB', 512_000],
    ['10MB', 10_000_000],
    ['1MiB', 1_048_576],
    ['2gb', 2_000_000_000],
  ])('reads %j as %d bytes', (input, expected) => {
    expect(parseSizeBytes(input)).toBe(expected);
  });

  it.each([[0], [1.5], ['10 elephants'], ['MB'], [{}]])('rejects %j', (input) => {
    expect(parseSizeBytes(input)).toBeUndefined();
  });
});
