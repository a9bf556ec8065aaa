import { afterEach, describe, expect, it, vi } from 'vitest';
import { childTraceparent } from '../context/traceparent.js';
import { headerValue, openInboundCall } from './inbound-call.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('openInboundCall', () => {
  it('sets the deadline from x-mesh-timeout-ms and aborts with a TimeoutError when it passes', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const call = openInboundCall({ 'x-mesh-timeout-ms': '250' }, undefined, [], undefined);
    expect(call.scope.deadline).toBe(1_000_250);
    expect(call.budgetMs).toBe(250);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(250);
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).name).toBe('TimeoutError');
    expect(call.deadlineExceeded()).toBe(true);
    expect(call.scope.signal).toBe(call.signal);
  });

  it('ignores a budget that is not a non-negative number; 0 is already expired', () => {
    for (const value of ['', 'soon', '-5', 'NaN']) {
      const call = openInboundCall({ 'x-mesh-timeout-ms': value }, undefined, [], undefined);
      expect(call.scope.deadline).toBeUndefined();
      call.dispose();
    }
    const expired = openInboundCall({ 'x-mesh-timeout-ms': '0' }, undefined, [], undefined);
    expect(expired.signal.aborted).toBe(true);
    expect(expired.deadlineExceeded()).toBe(true);
  });

  it("follows the caller's cancellation, which is not a deadline", () => {
    const caller = new AbortController();
    const call = openInboundCall({}, caller.signal, [], 'session-1');
    expect(call.scope.sessionId).toBe('session-1');
    caller.abort(new Error('gone'));
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('gone');
    expect(call.deadlineExceeded()).toBe(false);
  });

  it('dispose stops the timer and detaches from the caller', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const call = openInboundCall({ 'x-mesh-timeout-ms': '10' }, caller.signal, [], undefined);
    call.dispose();
    vi.advanceTimersByTime(50);
    caller.abort();
    expect(call.signal.aborted).toBe(false);
  });

  it('carries traceparent and the allow-listed headers only (web Headers or node records)', () => {
    const web = new Headers({ 'X-Tenant': 'acme', 'x-secret': 'no', 'x-mesh-timeout-ms': '99' });
    const call = openInboundCall(
      web,
      undefined,
      ['x-tenant', 'x-absent', 'x-mesh-timeout-ms'],
      undefined,
    );
    expect(Object.keys(call.scope.headers).sort()).toEqual(['traceparent', 'x-tenant']);
    expect(call.scope.headers['x-tenant']).toBe('acme');
    const node = openInboundCall({ 'x-tenant': ['a', 'b'] }, undefined, ['x-tenant'], undefined);
    expect(node.scope.headers['x-tenant']).toBe('a, b');
  });
});

describe('childTraceparent', () => {
  it("keeps the caller's trace id and flags, with a new span id", () => {
    const inbound = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const child = childTraceparent(inbound);
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    expect(child).not.toBe(inbound);
  });

  it('starts a new sampled trace when none or an invalid one came', () => {
    for (const inbound of [
      undefined,
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    ]) {
      expect(childTraceparent(inbound)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(childTraceparent(inbound)).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  it('never repeats an id, across refills of its random pool', () => {
    const ids = Array.from({ length: 2_000 }, () => childTraceparent(undefined).split('-'));
    expect(new Set(ids.map(([, trace]) => trace)).size).toBe(ids.length);
    expect(new Set(ids.map(([, , span]) => span)).size).toBe(ids.length);
  });
});

describe('headerValue', () => {
  it('reads web Headers and node header records alike', () => {
    expect(headerValue(new Headers({ A: '1' }), 'a')).toBe('1');
    expect(headerValue({ a: '1' }, 'a')).toBe('1');
    expect(headerValue({}, 'a')).toBeUndefined();
    expect(headerValue(undefined, 'a')).toBeUndefined();
  });
});
