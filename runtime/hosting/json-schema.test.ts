import { describe, expect, it } from 'vitest';
import { compileJsonSchema, lazyJsonSchemaCheck } from './json-schema.js';

describe('JSON Schema checks', () => {
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };

  it('names every violation of a value, and nothing for a valid one', () => {
    const check = compileJsonSchema(schema, 'tool "greet" input');
    expect(check({ name: 'Ada' })).toBeUndefined();
    expect(check({ name: 3 })).toBe('input/name must be string');
  });

  it('compiles a lazy check on its first use: an invalid schema fails then, with its name', () => {
    const check = lazyJsonSchemaCheck({ type: 'no-such-type' }, 'tool "broken" input');
    expect(() => check({})).toThrow(/^tool "broken" input schema cannot be compiled: /);
    expect(() => compileJsonSchema({ type: 'no-such-type' }, 'tool "broken" input')).toThrow(
      /^tool "broken" input schema cannot be compiled: /,
    );
    expect(lazyJsonSchemaCheck(schema, 'tool "greet" input')({})).toBe(
      "input must have required property 'name'",
    );
  });
});
