import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyKey } from './names.js';
import {
  buildTypeScript,
  namedDeclarations,
  runtimeImports,
  typescriptLiteral,
} from './typescript-file.js';

/** Evaluates a literal the way the generated file will: as a JavaScript expression. */
function evaluate(literal: string): unknown {
  return new Function(`return ${literal};`)();
}

describe('propertyKey', () => {
  it.each([
    ['name', 'name'],
    ['_private', '_private'],
    ['$ref', '$ref'],
    ['$defs', '$defs'],
    ['camelCase9', 'camelCase9'],
  ])('leaves the identifier %s bare', (key, expected) => {
    expect(propertyKey(key)).toBe(expected);
  });

  it.each([
    ['get-weather', "'get-weather'"],
    ['x-trace-id', "'x-trace-id'"],
    ['9lives', "'9lives'"],
    ['', "''"],
    ['with space', "'with space'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['ünï', "'ünï'"],
  ])('quotes %j', (key, expected) => {
    expect(propertyKey(key)).toBe(expected);
  });

  it('answers a key that evaluates to the same string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => {
        const object = evaluate(`{ ${propertyKey(key)}: 1 }`) as Record<string, number>;
        return key === '__proto__' || Object.keys(object)[0] === key;
      }),
    );
  });
});

describe('typescriptLiteral', () => {
  it('writes scalars', () => {
    expect(typescriptLiteral('text')).toBe("'text'");
    expect(typescriptLiteral(42)).toBe('42');
    expect(typescriptLiteral(-1.5)).toBe('-1.5');
    expect(typescriptLiteral(true)).toBe('true');
    expect(typescriptLiteral(null)).toBe('null');
    expect(typescriptLiteral(undefined)).toBe('undefined');
  });

  it('writes empty containers compactly', () => {
    expect(typescriptLiteral({})).toBe('{}');
    expect(typescriptLiteral([])).toBe('[]');
  });

  it('keeps arrays of scalars on one line and breaks arrays of objects', () => {
    expect(typescriptLiteral(['a', 1, null])).toBe("['a', 1, null]");
    expect(typescriptLiteral([{ a: 1 }])).toBe('[\n  {\n    a: 1,\n  },\n]');
  });

  it('writes objects with identifier keys bare, others quoted, two-space indentation', () => {
    expect(
      typescriptLiteral({ name: 'x', 'get-weather': { $ref: '#/$defs/a' }, list: [1, 2] }),
    ).toBe(`{
  name: 'x',
  'get-weather': {
    $ref: '#/$defs/a',
  },
  list: [1, 2],
}`);
  });

  it('indents nested values relative to the given indentation', () => {
    expect(typescriptLiteral({ a: { b: [] } }, '    ')).toBe(
      '{\n      a: {\n        b: [],\n      },\n    }',
    );
  });

  it.each([
    ['single quotes', "it's 'quoted'"],
    ['double quotes', 'say "hello"'],
    ['backslashes', 'C:\\path\\to\\file and \\d{4}'],
    ['a backslash before a quote', '\\"\\\''],
    ['newlines and tabs', 'line one\nline two\r\n\ttabbed'],
    ['unicode', 'ünïcödé — 日本語 🌦️'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['control characters', '\u0000\u0001\u001f\u007f'],
    ['a lone surrogate', '\ud800x\udfff'],
    ['a comment terminator', 'ends */ early'],
    ['a template literal', `\${not interpolated} \`tick\``],
  ])('round-trips strings with %s', (_what, text) => {
    const literal = typescriptLiteral(text);
    expect(literal).toMatch(/^'.*'$/s);
    expect(literal).not.toMatch(/[\n\r]/);
    expect(evaluate(literal)).toBe(text);
  });

  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // `-0` has no JSON form; `__proto__` keys are not data in an object literal.
        fc.pre(!JSON.stringify(value).includes('"__proto__"'));
        expect(evaluate(typescriptLiteral(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips objects whose keys and strings are any text', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'binary' }).filter((key) => key !== '__proto__'),
          fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'grapheme' }))),
        ),
        (value) => {
          expect(evaluate(typescriptLiteral(value))).toEqual(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same value always gives the same text', () => {
    const value = { b: [1, { c: 'x' }], a: "it's" };
    expect(typescriptLiteral(structuredClone(value))).toBe(typescriptLiteral(value));
  });
});

describe('runtimeImports', () => {
  const imports = [
    { name: 'AgentHandlers', isTypeOnly: true },
    { name: 'defineAgent' },
    { name: 'ToolHandler', isTypeOnly: true },
  ];

  it('imports every name as it is when the file declares none of them', () => {
    const { specifiers, use } = runtimeImports(imports, ['GreeterHandlers', 'defineGreeter']);
    expect(specifiers).toEqual([
      { name: 'AgentHandlers', isTypeOnly: true },
      { name: 'defineAgent' },
      { name: 'ToolHandler', isTypeOnly: true },
    ]);
    expect(use('AgentHandlers')).toBe('AgentHandlers');
    expect(use('defineAgent')).toBe('defineAgent');
  });

  it('aliases the names the file declares itself', () => {
    const { specifiers, use } = runtimeImports(imports, ['AgentHandlers', 'defineAgent']);
    expect(specifiers).toEqual([
      { name: 'AgentHandlers', alias: 'RuntimeAgentHandlers', isTypeOnly: true },
      { name: 'defineAgent', alias: 'runtimeDefineAgent' },
      { name: 'ToolHandler', isTypeOnly: true },
    ]);
    expect(use('AgentHandlers')).toBe('RuntimeAgentHandlers');
    expect(use('defineAgent')).toBe('runtimeDefineAgent');
    expect(use('ToolHandler')).toBe('ToolHandler');
  });
});

describe('buildTypeScript', () => {
  it('puts the header first, keeps imports together and separates them from code', () => {
    const text = buildTypeScript('// header\n', (file) => {
      file.addImportDeclaration({ moduleSpecifier: 'x', namedImports: [{ name: 'A' }] });
      file.addImportDeclaration({ moduleSpecifier: 'y', namedImports: [{ name: 'C' }] });
      file.addStatements('export type B = A;');
      file.addTypeAlias({ name: 'D', isExported: true, type: 'C' });
      file.addConstant({
        name: 'e',
        type: 'D',
        doc: 'An e.',
        value: { list: [1, 2], nested: { f: 'g' } },
      });
    });
    expect(text).toBe(
      "// header\n\nimport { A } from 'x';\nimport { C } from 'y';\n\nexport type B = A;\n\nexport type D = C;\n\n" +
        "/** An e. */\nexport const e: D = {\n  list: [1, 2],\n  nested: {\n    f: 'g',\n  },\n};\n",
    );
  });

  it('gives the same bytes for the same calls', () => {
    const build = () =>
      buildTypeScript('// h\n', (file) => {
        file.addInterface({
          name: 'I',
          isExported: true,
          properties: [{ name: 'a', type: 'string' }],
        });
      });
    expect(build()).toBe(build());
  });
});

describe('namedDeclarations', () => {
  it('splits interfaces, type aliases and enums in source order', () => {
    const declarations = namedDeclarations(
      'export type A = string;\n/** doc */\nexport interface B { a: A }\nexport enum C { x }\n',
    );
    expect(declarations.map((declaration) => declaration.name)).toEqual(['A', 'B', 'C']);
    expect(declarations[1]?.text).toBe('/** doc */\nexport interface B { a: A; }');
  });

  it('formats what it splits: two-space indentation and semicolons', () => {
    const [declaration] = namedDeclarations(
      'export interface B {\nname: string\nnested: {\nx?: number\n}\n}',
    );
    expect(declaration?.text).toBe(
      'export interface B {\n  name: string;\n  nested: {\n    x?: number;\n  };\n}',
    );
  });
});
