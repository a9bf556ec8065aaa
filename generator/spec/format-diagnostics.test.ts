import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostic.js';
import {
  formatDiagnosticsAsJson,
  formatDiagnosticsAsText,
  formatDiagnosticsForGitHub,
} from './format-diagnostics.js';
import { validateSources } from './validate-spec.js';

const unknownProperty: Diagnostic = {
  file: 'specs/greeter.mesh.yaml',
  line: 12,
  column: 9,
  severity: 'error',
  code: 'schema',
  message: 'unknown property "timeout" in agents[0].tools[0]',
  excerpt: '        timeout: 5s',
};

const unprovided: Diagnostic = {
  file: 'specs/greeter.mesh.yaml',
  line: 3,
  column: 13,
  severity: 'warning',
  code: 'unprovided-dependency',
  message: 'no agent in this spec provides capability "weather"',
  excerpt: '          - weather',
};

const withoutExcerpt: Diagnostic = {
  file: 'specs',
  line: 1,
  column: 1,
  severity: 'error',
  code: 'no-spec-files',
  message: 'no spec files in specs',
};

describe('formatDiagnosticsAsText', () => {
  it('prints the head line, the source line with a gutter and a caret under the column', () => {
    expect(formatDiagnosticsAsText([unknownProperty])).toBe(
      [
        'specs/greeter.mesh.yaml:12:9: error: unknown property "timeout" in agents[0].tools[0] [schema]',
        '   12 |         timeout: 5s',
        '      |         ^',
      ].join('\n'),
    );
  });

  it('prints warnings the same way', () => {
    expect(formatDiagnosticsAsText([unprovided])).toBe(
      [
        'specs/greeter.mesh.yaml:3:13: warning: no agent in this spec provides capability "weather" [unprovided-dependency]',
        '    3 |           - weather',
        '      |             ^',
      ].join('\n'),
    );
  });

  it('prints only the head line when there is no excerpt', () => {
    expect(formatDiagnosticsAsText([withoutExcerpt])).toBe(
      'specs:1:1: error: no spec files in specs [no-spec-files]',
    );
  });

  it('puts the caret in the first column for column 1', () => {
    const text = formatDiagnosticsAsText([
      { ...unknownProperty, line: 1, column: 1, excerpt: 'agent:' },
    ]);
    expect(text.split('\n').slice(1)).toEqual(['    1 | agent:', '      | ^']);
  });

  it('keeps tabs before the caret so that it lines up with the excerpt', () => {
    const text = formatDiagnosticsAsText([{ ...unknownProperty, column: 4, excerpt: '\t\tx: 1' }]);
    expect(text.split('\n').slice(1)).toEqual(['   12 | \t\tx: 1', '      | \t\t ^']);
  });

  it('widens the gutter for long files', () => {
    const text = formatDiagnosticsAsText([{ ...unknownProperty, line: 123456 }]);
    expect(text.split('\n').slice(1)).toEqual([
      '123456 |         timeout: 5s',
      '       |         ^',
    ]);
  });

  it('separates several diagnostics by a newline, in the order given', () => {
    expect(formatDiagnosticsAsText([withoutExcerpt, unprovided]).split('\n')).toEqual([
      'specs:1:1: error: no spec files in specs [no-spec-files]',
      'specs/greeter.mesh.yaml:3:13: warning: no agent in this spec provides capability "weather" [unprovided-dependency]',
      '    3 |           - weather',
      '      |             ^',
    ]);
  });

  it('prints nothing for no diagnostics', () => {
    expect(formatDiagnosticsAsText([])).toBe('');
  });

  it('points the caret at the offending value of a real spec', () => {
    const { diagnostics } = validateSources([
      {
        path: 'specs/bad.mesh.yaml',
        text: 'agents:\n  - name: a\n    version: "1.0"\n',
      },
    ]);
    expect(formatDiagnosticsAsText(diagnostics)).toBe(
      [
        'specs/bad.mesh.yaml:3:14: error: version "1.0" of agent "a" is not a semantic version (e.g. 1.2.0) [invalid-version]',
        '    3 |     version: "1.0"',
        '      |              ^',
      ].join('\n'),
    );
  });
});

describe('formatDiagnosticsForGitHub', () => {
  it('writes one workflow command per diagnostic', () => {
    expect(formatDiagnosticsForGitHub([unknownProperty, unprovided]).split('\n')).toEqual([
      '::error file=specs/greeter.mesh.yaml,line=12,col=9,title=schema::unknown property "timeout" in agents[0].tools[0]',
      '::warning file=specs/greeter.mesh.yaml,line=3,col=13,title=unprovided-dependency::no agent in this spec provides capability "weather"',
    ]);
  });

  it('escapes %, CR and LF in the message', () => {
    expect(
      formatDiagnosticsForGitHub([
        { ...withoutExcerpt, message: '100% wrong\r\nsecond line\nthird: a, b' },
      ]),
    ).toBe(
      '::error file=specs,line=1,col=1,title=no-spec-files::100%25 wrong%0D%0Asecond line%0Athird: a, b',
    );
  });

  it('also escapes : and , in properties', () => {
    expect(
      formatDiagnosticsForGitHub([
        { ...withoutExcerpt, file: 'C:\\specs\\a,b%c\nd.mesh.yaml', message: 'x' },
      ]),
    ).toBe('::error file=C%3A\\specs\\a%2Cb%25c%0Ad.mesh.yaml,line=1,col=1,title=no-spec-files::x');
  });

  it('writes nothing for no diagnostics', () => {
    expect(formatDiagnosticsForGitHub([])).toBe('');
  });
});

describe('formatDiagnosticsAsJson', () => {
  it('counts errors and warnings and lists the diagnostics', () => {
    const json = JSON.parse(
      formatDiagnosticsAsJson([unknownProperty, unprovided, withoutExcerpt, unprovided]),
    );
    expect(json.errors).toBe(2);
    expect(json.warnings).toBe(2);
    expect(json.diagnostics).toEqual([unknownProperty, unprovided, withoutExcerpt, unprovided]);
  });

  it('answers zero counts for no diagnostics', () => {
    expect(JSON.parse(formatDiagnosticsAsJson([]))).toEqual({
      errors: 0,
      warnings: 0,
      diagnostics: [],
    });
  });

  it('is indented JSON with the counts first', () => {
    expect(formatDiagnosticsAsJson([withoutExcerpt])).toBe(
      [
        '{',
        '  "errors": 1,',
        '  "warnings": 0,',
        '  "diagnostics": [',
        '    {',
        '      "file": "specs",',
        '      "line": 1,',
        '      "column": 1,',
        '      "severity": "error",',
        '      "code": "no-spec-files",',
        '      "message": "no spec files in specs"',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
  });
});
