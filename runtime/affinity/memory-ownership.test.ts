import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOwnership } from './memory-ownership.js';

describe('MemoryOwnership', () => {
  let now = 0;
  let ownership: MemoryOwnership;
  afterEach(() => ownership?.close());

  it('gives a session to the first claimant and keeps it there', async () => {
    ownership = new MemoryOwnership(1_000, () => now);
    expect(await ownership.claim('s', 'a')).toBe('a');
    expect(await ownership.claim('s', 'b')).toBe('a');
    expect(await ownership.claim('other', 'b')).toBe('b');
  });

  it('lets a claim expire after the TTL since its last use', async () => {
    now = 0;
    ownership = new MemoryOwnership(1_000, () => now);
    await ownership.claim('s', 'a');
    now = 900;
    expect(await ownership.claim('s', 'a')).toBe('a'); // refreshes
    now = 1_800;
    expect(await ownership.claim('s', 'b')).toBe('a');
    now = 2_901;
    expect(await ownership.claim('s', 'b')).toBe('b');
  });

  it('hands a session over only from the owner named', async () => {
    now = 0;
    ownership = new MemoryOwnership(1_000, () => now);
    await ownership.claim('s', 'a');
    expect(await ownership.takeOver('s', 'x', 'b')).toBe('a');
    expect(await ownership.takeOver('s', 'a', 'b')).toBe('b');
    expect(await ownership.takeOver('s', 'a', 'c')).toBe('b');
    expect(await ownership.takeOver('unowned', 'a', 'c')).toBe('c');
  });
});
