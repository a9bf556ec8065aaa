import { describe, expect, it } from 'vitest';
import { EnvironmentError, readEnvironment } from './environment.js';

describe('readEnvironment: durations', () => {
  it.each([
    ['5', 5_000],
    ['0.5', 500],
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    [' 3s ', 3_000],
  ])('reads %j as %d ms', (raw, expected) => {
    expect(readEnvironment({ WAIT: raw }).durationMs('WAIT', 1_000)).toBe(expected);
  });

  it('answers the default when the variable is unset or empty', () => {
    expect(readEnvironment({}).durationMs('WAIT', 1_000)).toBe(1_000);
    expect(readEnvironment({ WAIT: '' }).durationMs('WAIT', 1_000)).toBe(1_000);
  });

  it.each(['0', '0s', '-1', '-5s', 'soon', '5 minutes', 'Infinity', '1e400'])(
    'refuses %j as an interval, naming the variable and what to write',
    (raw) => {
      expect(() => readEnvironment({ TICK: raw }).durationMs('TICK', 1_000)).toThrow(
        new EnvironmentError(
          'TICK',
          `TICK=${raw} is not a positive duration: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)`,
        ),
      );
    },
  );

  it('takes zero where zero is allowed (a wait that need not wait), never a negative', () => {
    const reader = readEnvironment({ WAIT: '0', LATE: '-1' });
    expect(reader.durationMs('WAIT', 1_000, { allowZero: true })).toBe(0);
    expect(() => reader.durationMs('LATE', 1_000, { allowZero: true })).toThrow(
      'LATE=-1 is not a duration of 0 or more: write seconds (5, 0.5) or a number with a unit (250ms, 5s, 2m, 1h)',
    );
  });
});

describe('readEnvironment: integers', () => {
  it('reads integers within their range, the default when unset', () => {
    const reader = readEnvironment({ PORT: '8080', EMPTY: '' });
    expect(reader.integer('PORT', 8000, { min: 0, max: 65_535 })).toBe(8080);
    expect(reader.integer('EMPTY', 8000, { min: 0, max: 65_535 })).toBe(8000);
    expect(reader.integer('UNSET', 8000, { min: 0, max: 65_535 })).toBe(8000);
  });

  it.each(['-1', '65536', '80.5', 'eighty', '0x50'])('refuses %j', (raw) => {
    expect(() =>
      readEnvironment({ PORT: raw }).integer('PORT', 8000, { min: 0, max: 65_535 }),
    ).toThrow(new EnvironmentError('PORT', `PORT=${raw} is not an integer between 0 and 65535`));
  });
});

describe('readEnvironment: booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['OFF', false],
  ])('reads %j as %s', (raw, expected) => {
    expect(readEnvironment({ FLAG: raw }).boolean('FLAG', !expected)).toBe(expected);
  });

  it('answers the default when unset, and refuses anything else', () => {
    expect(readEnvironment({}).boolean('FLAG', true)).toBe(true);
    expect(() => readEnvironment({ FLAG: 'maybe' }).boolean('FLAG', false)).toThrow(
      'FLAG=maybe is not a boolean: write true or false (or 1/0, yes/no, on/off)',
    );
  });
});

describe('readEnvironment: log levels', () => {
  it.each([
    ['DEBUG', 'debug'],
    ['INFO', 'info'],
    ['WARNING', 'warn'],
    ['warning', 'warn'],
    ['ERROR', 'error'],
    ['CRITICAL', 'fatal'],
    ['trace', 'trace'],
    ['Warn', 'warn'],
    ['fatal', 'fatal'],
    ['silent', 'silent'],
  ])('reads the predecessor’s and pino’s names in any case: %j is %j', (raw, expected) => {
    expect(readEnvironment({ LEVEL: raw }).logLevel('LEVEL', 'info')).toBe(expected);
  });

  it('answers the default when unset, and refuses other names listing the allowed ones', () => {
    expect(readEnvironment({}).logLevel('LEVEL', 'info')).toBe('info');
    expect(() => readEnvironment({ LEVEL: 'LOUD' }).logLevel('LEVEL', 'info')).toThrow(
      new EnvironmentError(
        'LEVEL',
        'LEVEL=LOUD is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL, or trace, debug, info, warn, error, fatal, silent (any case)',
      ),
    );
  });
});

describe('readEnvironment: errors', () => {
  it('throws the error type it is given, so each process keeps its own', () => {
    class OwnError extends EnvironmentError {}
    expect(() => readEnvironment({ TICK: '0' }, OwnError).durationMs('TICK', 1_000)).toThrow(
      OwnError,
    );
  });

  it('names the variable in the error', () => {
    try {
      readEnvironment({ TICK: '0' }).durationMs('TICK', 1_000);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).variable).toBe('TICK');
    }
  });
});
