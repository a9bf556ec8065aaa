import { describe, expect, it } from 'vitest';
import { needsSessionAffinity, sessionKeyOf } from './session-key.js';

describe('sessionKeyOf', () => {
  it('takes X-Session-ID first, then a session_id argument, and the MCP session last', () => {
    const args = { session_id: 'from-argument' };
    expect(sessionKeyOf({ 'x-session-id': 'from-header' }, 'mcp-session', args)).toBe(
      'from-header',
    );
    // An ordinary client opens a connection (an MCP session) per call: the key it names wins.
    expect(sessionKeyOf({}, 'mcp-session', args)).toBe('from-argument');
    expect(sessionKeyOf({}, 'mcp-session', { by: 1 })).toBe('mcp-session');
    expect(sessionKeyOf({}, 'mcp-session', { session_id: '' })).toBe('mcp-session');
    expect(sessionKeyOf({}, undefined, args)).toBe('from-argument');
    expect(sessionKeyOf(new Headers({ 'x-session-id': 'web' }), 'mcp-session', args)).toBe('web');
  });

  it('has no key when nothing names a session, or the name is not a usable string', () => {
    expect(sessionKeyOf(undefined, undefined, { by: 1 })).toBeUndefined();
    expect(sessionKeyOf({}, undefined, { session_id: 42 })).toBeUndefined();
    expect(sessionKeyOf({}, undefined, { session_id: '' })).toBeUndefined();
    expect(sessionKeyOf({}, undefined, 'not an object')).toBeUndefined();
    expect(sessionKeyOf({ 'x-session-id': 'x'.repeat(257) }, undefined, {})).toBeUndefined();
  });
});

describe('needsSessionAffinity', () => {
  it('is on for session_required or stateful tools only', () => {
    expect(needsSessionAffinity({ session_required: true })).toBe(true);
    expect(needsSessionAffinity({ stateful: true })).toBe(true);
    expect(needsSessionAffinity({ session_required: false, timeout: 3 })).toBe(false);
    expect(needsSessionAffinity({})).toBe(false);
  });
});
