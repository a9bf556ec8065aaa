import { describe, expect, it } from 'vitest';
import { decodeChoices, encodeChoices } from './resolution-response.js';

describe('encodeChoices', () => {
  it('round-trips through decodeChoices, unresolved positions included', () => {
    const choices = new Map([
      ['report#0', 'w-1.forecast'],
      ['report#1', ''],
    ]);
    expect(decodeChoices(encodeChoices(choices))).toEqual(choices);
  });

  it('decodes nothing delivered yet as no choices', () => {
    expect(decodeChoices(undefined)).toEqual(new Map());
  });
});
