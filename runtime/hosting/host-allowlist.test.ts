import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHostnames } from './host-allowlist.js';

describe('allowedHostnames', () => {
  it('allows the bound host and loopback names', () => {
    expect(allowedHostnames('127.0.0.1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostnames('Agent.Internal')).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      'agent.internal',
    ]);
    expect(allowedHostnames('::1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it("allows this machine's names and addresses when bound to every interface", () => {
    const names = allowedHostnames('0.0.0.0', ['svc.mesh.local']);
    expect(names).toContain(hostname().toLowerCase());
    expect(names).toContain('svc.mesh.local');
    expect(names.every((name) => !name.includes(':') || name.startsWith('['))).toBe(true);
  });
});
