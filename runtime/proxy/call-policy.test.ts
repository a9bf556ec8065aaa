import { describe, expect, it } from 'vitest';
import { compileCallPolicy, type KwargFallback } from './call-policy.js';

describe('compileCallPolicy', () => {
  it('answers the defaults for no kwargs', () => {
    expect(compileCallPolicy({})).toEqual({
      timeoutMs: 30_000,
      retryCount: 0,
      retryDelayMs: 100,
      retryBackoff: 2,
      customHeaders: {},
      authRequired: false,
      streaming: false,
      streamTimeoutMs: 300_000,
      maxResponseSize: undefined,
      sessionRequired: false,
    });
  });

  it('reads wire units: durations in seconds, sizes in bytes', () => {
    const policy = compileCallPolicy({
      timeout: 2,
      retry_count: 3,
      retry_delay: 0.25,
      retry_backoff: 1.5,
      stream_timeout: 60,
      max_response_size: 1_024,
    });
    expect(policy).toMatchObject({
      timeoutMs: 2_000,
      retryCount: 3,
      retryDelayMs: 250,
      retryBackoff: 1.5,
      streamTimeoutMs: 60_000,
      maxResponseSize: 1_024,
    });
  });

  it('reads durations and sizes written with units', () => {
    expect(
      compileCallPolicy({
        timeout: '250ms' as never,
        retry_delay: '1s' as never,
        stream_timeout: '2m' as never,
        max_response_size: '1MiB' as never,
      }),
    ).toMatchObject({
      timeoutMs: 250,
      retryDelayMs: 1_000,
      streamTimeoutMs: 120_000,
      maxResponseSize: 1_048_576,
    });
  });

  it('reads the flags only when they are true booleans', () => {
    expect(
      compileCallPolicy({ auth_required: true, streaming: true, session_required: true }),
    ).toMatchObject({ authRequired: true, streaming: true, sessionRequired: true });
    expect(compileCallPolicy({ stateful: true }).sessionRequired).toBe(true);
    expect(
      compileCallPolicy({ auth_required: 'true', streaming: 1, session_required: 'yes' } as never),
    ).toMatchObject({ authRequired: false, streaming: false, sessionRequired: false });
  });

  it('keeps custom headers that are a record of strings', () => {
    expect(compileCallPolicy({ custom_headers: { 'x-team': 'blue' } }).customHeaders).toEqual({
      'x-team': 'blue',
    });
  });

  it.each([
    ['timeout', { timeout: -1 }, 'timeoutMs', 30_000],
    ['timeout', { timeout: 'soon' }, 'timeoutMs', 30_000],
    ['timeout', { timeout: 0 }, 'timeoutMs', 30_000],
    ['timeout', { timeout: Number.NaN }, 'timeoutMs', 30_000],
    ['retry_count', { retry_count: -1 }, 'retryCount', 0],
    ['retry_count', { retry_count: 2.5 }, 'retryCount', 0],
    ['retry_count', { retry_count: 'three' }, 'retryCount', 0],
    ['retry_count', { retry_count: 1_000 }, 'retryCount', 100],
    ['retry_delay', { retry_delay: 'later' }, 'retryDelayMs', 100],
    ['retry_delay', { retry_delay: -2 }, 'retryDelayMs', 100],
    ['retry_backoff', { retry_backoff: 0.5 }, 'retryBackoff', 2],
    ['retry_backoff', { retry_backoff: 'fast' }, 'retryBackoff', 2],
    ['stream_timeout', { stream_timeout: 'never' }, 'streamTimeoutMs', 300_000],
    ['max_response_size', { max_response_size: 0 }, 'maxResponseSize', undefined],
    ['max_response_size', { max_response_size: -5 }, 'maxResponseSize', undefined],
    ['max_response_size', { max_response_size: 'huge' }, 'maxResponseSize', undefined],
    ['custom_headers', { custom_headers: 'x-team: blue' }, 'customHeaders', {}],
    ['custom_headers', { custom_headers: null }, 'customHeaders', {}],
    ['custom_headers', { custom_headers: { 'x-count': 3 } }, 'customHeaders', {}],
    ['custom_headers', { custom_headers: ['x-team'] }, 'customHeaders', {}],
    ['custom_headers', { custom_headers: { 'bad name': 'v' } }, 'customHeaders', {}],
    ['custom_headers', { custom_headers: { 'x-split': 'a\r\nx-evil: 1' } }, 'customHeaders', {}],
  ])(
    'falls back to the default for a bad %s (%j), and reports it',
    (name, kwargs, field, expected) => {
      const reported: KwargFallback[] = [];
      const policy = compileCallPolicy(kwargs as never, (fallback) => reported.push(fallback));
      expect(policy[field as keyof typeof policy]).toEqual(expected);
      expect(reported).toEqual([
        { kwarg: name, value: (kwargs as Record<string, unknown>)[name], used: expect.any(String) },
      ]);
    },
  );

  it.each([
    ['timeout', { timeout: 'soon' }, '30000 ms (the default)'],
    ['retry_count', { retry_count: 1_000 }, '100 (the most allowed)'],
    ['retry_count', { retry_count: 'three' }, '0 (no retries)'],
    ['max_response_size', { max_response_size: 'huge' }, 'no limit'],
    ['custom_headers', { custom_headers: null }, 'no custom headers'],
    ['streaming', { streaming: 'yes' }, 'false'],
  ])('says what it uses instead of a bad %s', (name, kwargs, used) => {
    const reported: KwargFallback[] = [];
    compileCallPolicy(kwargs as never, (fallback) => reported.push(fallback));
    expect(reported).toEqual([
      { kwarg: name, value: (kwargs as Record<string, unknown>)[name], used },
    ]);
  });

  it('reports nothing for usable or absent kwargs', () => {
    const reported: KwargFallback[] = [];
    compileCallPolicy(
      {
        timeout: 2,
        retry_count: 3,
        retry_delay: 0,
        retry_backoff: 1.5,
        stream_timeout: '2m' as never,
        max_response_size: '1MiB' as never,
        custom_headers: { 'x-team': 'blue' },
        auth_required: false,
        streaming: true,
        session_required: true,
        stateful: false,
        priority: 'high',
      },
      (fallback) => reported.push(fallback),
    );
    compileCallPolicy({}, (fallback) => reported.push(fallback));
    expect(reported).toEqual([]);
  });

  it('accepts a retry_delay of zero (retry at once)', () => {
    expect(compileCallPolicy({ retry_delay: 0 }).retryDelayMs).toBe(0);
  });
});
