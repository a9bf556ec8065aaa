import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { diagnosticCodes } from './diagnostic.js';
import { type ValidationResult, validateSources } from './validate-spec.js';

// Whatever the input, the validator answers diagnostics that point into the text, never throws,
// and produces a model exactly when there is no error.

const path = 'specs/fuzz.mesh.yaml';
// FUZZ_FACTOR=50 npx vitest run generator/spec/fuzz.test.ts searches longer.
const factor = Number(process.env.FUZZ_FACTOR ?? 1);
const runs = (numRuns: number) => ({ numRuns: Math.max(1, Math.round(numRuns * factor)) });
const codes = new Set<string>(diagnosticCodes);
const example = readFileSync(new URL('../../examples/greeting/mesh.yaml', import.meta.url), 'utf8');
const exampleLines = example.split('\n');

function check(text: string): ValidationResult {
  let result: ValidationResult | undefined;
  expect(() => {
    result = validateSources([{ path, text }]);
  }).not.toThrow();
  const { diagnostics, model } = result!;
  expect(Array.isArray(diagnostics)).toBe(true);
  const lines = text.split(/\r?\n/);
  for (const diagnostic of diagnostics) {
    expect(diagnostic.file).toBe(path);
    expect(Number.isInteger(diagnostic.line)).toBe(true);
    expect(Number.isInteger(diagnostic.column)).toBe(true);
    expect(diagnostic.line).toBeGreaterThanOrEqual(1);
    expect(diagnostic.column).toBeGreaterThanOrEqual(1);
    expect(diagnostic.line).toBeLessThanOrEqual(lines.length);
    expect(['error', 'warning']).toContain(diagnostic.severity);
    expect(codes.has(diagnostic.code)).toBe(true);
    expect(typeof diagnostic.message).toBe('string');
    expect(diagnostic.message.trim()).not.toBe('');
    if (diagnostic.excerpt !== undefined)
      expect(diagnostic.excerpt).toBe(lines[diagnostic.line - 1]);
  }
  const hasError = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  expect(model !== undefined).toBe(!hasError);
  return result!;
}

/** A text of lines, changed in one of the ways people break YAML by hand. */
const mutation: fc.Arbitrary<string> = fc.oneof(
  fc.nat().map((n) => {
    const lines = [...exampleLines];
    lines.splice(n % lines.length, 1);
    return lines.join('\n');
  }),
  fc.nat().map((n) => {
    const lines = [...exampleLines];
    const index = n % lines.length;
    lines.splice(index, 0, lines[index]!);
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => {
    const lines = [...exampleLines];
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 4 }),
        fc.constantFrom(
          ':',
          '-',
          ' ',
          '\t',
          '\n',
          '[',
          '{',
          '"',
          "'",
          '&a',
          '*a',
          '#',
          '---',
          '? ',
        ),
      ),
    )
    .map(([n, inserted]) => {
      const offset = n % (example.length + 1);
      return example.slice(0, offset) + inserted + example.slice(offset);
    }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([n, shift]) => {
    const lines = [...exampleLines];
    const index = n % lines.length;
    const line = lines[index]!;
    lines[index] =
      shift >= 0 ? ' '.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
    return lines.join('\n');
  }),
);

/** Mostly `good` values, sometimes `bad` ones, so that both valid and invalid specs come up. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
}

/** Spec-shaped data: small name pools so that duplicates, dependencies and cycles happen. */
const name = mostly(
  fc.constantFrom('a', 'b', 'c', 'date_service', 'date-service'),
  fc.constantFrom('9x', 'A b', ''),
);
const version = mostly(fc.constantFrom('1.0.0', '2.1.0'), fc.constantFrom('1.0', 'x', ''));
const range = mostly(fc.constantFrom('>=1', '^1', '*', '2.x'), fc.constantFrom('~~', '>=x'));
const duration = mostly(
  fc.oneof(
    fc.constantFrom('250ms', '5s', '2m', '1h'),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  ),
  fc.oneof(fc.constantFrom('soon', '-1s', ''), fc.double()),
);
const tags = fc.uniqueArray(
  mostly(fc.constantFrom('x', '+x', '-x', 'y', '+y', '-y'), fc.constant('')),
  { maxLength: 3 },
);
const dependency = fc.oneof(
  name,
  fc.record(
    {
      capability: name,
      version: range,
      tags,
      required: fc.boolean(),
      name: mostly(fc.constantFrom('p', 'q', 'dateService'), fc.constant('1bad')),
    },
    { requiredKeys: ['capability'] },
  ),
);
const tool = fc.record(
  {
    name,
    capability: name,
    version,
    tags,
    input: mostly<object>(
      fc.constant({ type: 'object', properties: {} }),
      fc.constantFrom<object>(
        { type: 'strin' },
        { type: 'object', required: 'yes' },
        { type: 'object', properties: { a: { $ref: '#/nope' } } },
      ),
    ),
    kwargs: fc.record(
      {
        timeout: duration,
        retry_count: mostly(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101, 1.5)),
        max_response_size: mostly(
          fc.oneof(fc.constantFrom('10MB', '1 GB', '512KiB'), fc.integer({ min: 1 })),
          fc.oneof(fc.constantFrom('lots', '0B'), fc.integer({ max: 0 })),
        ),
        custom: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
    dependencies: fc.array(dependency, { maxLength: 3 }),
  },
  { requiredKeys: ['name'] },
);
const resource = fc.oneof(
  fc.record({ name, uri: mostly(fc.constant('a://b'), fc.constant('')) }),
  fc.record({ name, uri_template: fc.constant('a://{b}') }),
  fc.record({ name, uri: fc.constant('a://b'), uri_template: fc.constant('a://{b}') }),
  fc.record({ name }),
);
const agent = fc.record(
  {
    name,
    version,
    port: mostly(fc.integer({ min: 0, max: 65_535 }), fc.constantFrom(-1, 70_000)),
    tools: fc.array(tool, { maxLength: 3 }),
    resources: fc.array(resource, { maxLength: 2 }),
    prompts: fc.array(fc.record({ name }), { maxLength: 2 }),
  },
  { requiredKeys: ['name'] },
);
const spec = fc.record({ agents: fc.array(agent, { maxLength: 3 }) });

describe('fuzzing the validator', { timeout: 30_000 * Math.max(1, factor) }, () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        check(text);
      }),
      runs(300),
    );
  });

  it('never throws on text made of YAML punctuation', () => {
    const piece = fc.constantFrom(
      'agents:',
      '- ',
      '  ',
      '\n',
      '\t',
      ':',
      '[',
      ']',
      '{',
      '}',
      '&a ',
      '*a',
      '!!str ',
      '!tag ',
      '? ',
      '---\n',
      '...\n',
      '%YAML 1.2\n',
      '"',
      "'",
      '#',
      '|',
      '>',
      'name: a',
      '<<: ',
      '\r\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        check(pieces.join(''));
      }),
      runs(500),
    );
  });

  it('never throws on arbitrary JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        check(stringify(value));
      }),
      runs(300),
    );
  });

  it('never throws on arbitrary JSON values as the agents list', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 3 }), (agents) => {
        check(stringify({ agents }));
      }),
      runs(300),
    );
  });

  it('never throws on spec-shaped data with mistakes, and produces a model exactly when valid', () => {
    fc.assert(
      fc.property(spec, (data) => {
        const result = check(stringify(data));
        if (result.model) expect(result.model.agents).toHaveLength(data.agents.length);
      }),
      runs(300),
    );
  });

  it('never throws on hand-made mutations of the greeting example', () => {
    // The example itself is valid.
    expect(check(example).model).toBeDefined();
    fc.assert(
      fc.property(mutation, (text) => {
        check(text);
      }),
      runs(300),
    );
  });

  it('never throws on several mutations of the example at once', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 2, maxLength: 5 }), (cuts) => {
        const lines = [...exampleLines];
        for (const cut of cuts) lines.splice(cut % lines.length, 1);
        check(lines.join('\n'));
      }),
      runs(200),
    );
  });
});
