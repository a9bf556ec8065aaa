import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';

// Every test runs the compiled meshctl as a real process, the way a user or CI does; the tests
// run concurrently, each in its own folder.

const projectRoot = resolve(import.meta.dirname, '..');
const meshctlBin = join(projectRoot, 'cli/bin.js');
const greetingSpec = join(projectRoot, 'examples/greeting/mesh.yaml');
const richFixture = 'test/fixtures/generator/rich';
const timeout = 120_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function meshctl(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [meshctlBin, ...args],
      { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * A folder inside the project (so that the paths meshctl prints are short and relative),
 * removed when the test finishes, passed or failed.
 */
function temporaryDirectory(context: TestContext): string {
  const directory = mkdtempSync(join(projectRoot, '.tmp-cli-'));
  context.onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** How meshctl shows a path: relative to its working directory, the project root. */
const shown = (path: string) => relative(projectRoot, path);

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

const invalidSpec = `mesh: 1
agents:
  - name: broken
    tools:
      - name: t
        version: soon
        kwargs:
          timeout: later
`;

describe.concurrent('meshctl generate', () => {
  it(
    'generates, finds its output up to date, and lists exactly the file edited by hand',
    async (context) => {
      const directory = temporaryDirectory(context);
      copyFileSync(greetingSpec, join(directory, 'mesh.yaml'));
      const generatedFiles = [
        'generated/agents/clock.ts',
        'generated/agents/greeter.ts',
        'generated/proxies/date-service.ts',
      ];

      const generated = await meshctl('generate', shown(directory));
      expect(generated.stderr).toBe('');
      expect(generated.code).toBe(0);
      expect(generated.stdout.trim().split('\n').sort()).toEqual(
        [
          ...generatedFiles.map((file) => `wrote ${shown(join(directory, file))}`),
          ...['clock.ts', 'greeter.ts'].map(
            (file) => `scaffolded ${shown(join(directory, 'handlers', file))} (yours from now on)`,
          ),
        ].sort(),
      );
      expect(filesUnder(directory)).toEqual([
        ...generatedFiles,
        'handlers/clock.ts',
        'handlers/greeter.ts',
        'mesh.yaml',
      ]);

      const upToDate = await meshctl('generate', shown(directory), '--check');
      expect(upToDate).toEqual({ code: 0, stdout: 'generated code is up to date\n', stderr: '' });

      const edited = join(directory, 'generated/agents/greeter.ts');
      const text = `${readFileSync(edited, 'utf8')}// a hand edit\n`;
      writeFileSync(edited, text);
      const modified = statSync(edited).mtimeMs;
      const drift = await meshctl('generate', shown(directory), '--check');
      expect(drift.code).toBe(1);
      expect(drift.stdout).toBe('');
      expect(drift.stderr).toBe(
        `out of date: ${shown(edited)}\nrun \`meshctl generate\` and commit the result\n`,
      );
      // --check compares; it never writes.
      expect(readFileSync(edited, 'utf8')).toBe(text);
      expect(statSync(edited).mtimeMs).toBe(modified);
    },
    timeout,
  );

  it(
    'reports an invalid spec as file:line:col diagnostics, exits 1 and writes nothing',
    async (context) => {
      const directory = temporaryDirectory(context);
      const spec = join(directory, 'mesh.yaml');
      writeFileSync(spec, invalidSpec);

      const result = await meshctl('generate', shown(directory));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const heads = result.stderr.split('\n').filter((line) => /^\S+:\d+:\d+: /.test(line));
      expect(heads).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${escapeRegExp(shown(spec))}:6:18: error: version "soon" of tool "t" is not a semantic version`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${escapeRegExp(shown(spec))}:8:20: error: timeout "later" is not a duration`,
          ),
        ),
      ]);
      expect(result.stderr).toContain('    6 |         version: soon\n      |                  ^');
      expect(
        result.stderr.trimEnd().endsWith('nothing generated: fix the errors above first'),
      ).toBe(true);
      expect(filesUnder(directory)).toEqual(['mesh.yaml']);
    },
    timeout,
  );
});

describe.concurrent('meshctl validate', () => {
  const richSpec = `${richFixture}/rich.mesh.yaml`;
  const warningLine =
    readFileSync(join(projectRoot, richSpec), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('- capability: billing_ledger')) + 1;

  it(
    'prints GitHub annotations: warnings of a valid spec, exit 0',
    async () => {
      const result = await meshctl('validate', richFixture, '--format', 'github');
      expect(result).toEqual({
        code: 0,
        stdout: `::warning file=${richSpec},line=${warningLine},col=13,title=unprovided-dependency::no agent in this spec provides capability "billing_ledger" needed by tool "get-weather"; it must come from another spec at run time\n`,
        stderr: '',
      });
    },
    timeout,
  );

  it(
    'prints GitHub annotations: errors of an invalid spec, exit 1',
    async (context) => {
      const spec = join(temporaryDirectory(context), 'mesh.yaml');
      writeFileSync(spec, invalidSpec);
      const result = await meshctl('validate', shown(spec), '--format', 'github');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const file = shown(spec).replace(/:/g, '%3A').replace(/,/g, '%2C');
      expect(result.stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^::error file=${escapeRegExp(file)},line=6,col=18,title=invalid-version::version "soon"`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^::error file=${escapeRegExp(file)},line=8,col=20,title=invalid-duration::timeout "later"`,
          ),
        ),
      ]);
    },
    timeout,
  );

  it(
    'prints JSON: a valid spec with a warning, exit 0',
    async () => {
      const result = await meshctl('validate', richFixture, '--json');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        errors: 0,
        warnings: 1,
        diagnostics: [
          {
            file: richSpec,
            line: warningLine,
            column: 13,
            severity: 'warning',
            code: 'unprovided-dependency',
            message:
              'no agent in this spec provides capability "billing_ledger" needed by tool "get-weather"; it must come from another spec at run time',
            excerpt: '          - capability: billing_ledger',
          },
        ],
      });
    },
    timeout,
  );

  it(
    'prints JSON: an invalid spec, exit 1',
    async (context) => {
      const spec = join(temporaryDirectory(context), 'mesh.yaml');
      writeFileSync(spec, invalidSpec);
      const result = await meshctl('validate', shown(spec), '--format', 'json');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as {
        errors: number;
        warnings: number;
        diagnostics: { file: string; line: number; column: number; code: string }[];
      };
      expect(report).toMatchObject({ errors: 2, warnings: 0 });
      expect(
        report.diagnostics.map(({ file, line, column, code }) => ({ file, line, column, code })),
      ).toEqual([
        { file: shown(spec), line: 6, column: 18, code: 'invalid-version' },
        { file: shown(spec), line: 8, column: 20, code: 'invalid-duration' },
      ]);
    },
    timeout,
  );

  it(
    'prints a text summary of a valid spec, exit 0',
    async () => {
      const result = await meshctl('validate', 'examples/greeting');
      expect(result).toEqual({
        code: 0,
        stdout: '1 spec file(s), 2 agent(s): 0 error(s), 0 warning(s)\n',
        stderr: '',
      });
    },
    timeout,
  );

  it(
    'validates OpenAPI documents too: GitHub annotations inside a file reached by $ref',
    async () => {
      const result = await meshctl(
        'validate',
        'generator/openapi/fixtures/invalid/ref-style.yaml',
        '--format',
        'github',
      );
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd()).toMatch(
        /^::warning file=generator\/openapi\/fixtures\/invalid\/shared\/parameters\.yaml,line=5,col=10,title=unsupported-parameter::GET \/search: parameter "ids" uses style "spaceDelimited"/,
      );
    },
    timeout,
  );

  it(
    'says to install openapi-fetch when the REST code it generated imports it and the project has none',
    async (context) => {
      const outside = mkdtempSync(join(tmpdir(), 'mesh-cli-openapi-'));
      context.onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
      const inside = temporaryDirectory(context);
      for (const directory of [outside, inside]) {
        copyFileSync(
          join(projectRoot, 'examples/openapi/inventory.openapi.yaml'),
          join(directory, 'inventory.openapi.yaml'),
        );
        cpSync(join(projectRoot, 'examples/openapi/schemas'), join(directory, 'schemas'), {
          recursive: true,
        });
      }
      const bare = await meshctl('generate', join(outside, 'inventory.openapi.yaml'));
      expect(bare.code, bare.stderr).toBe(0);
      expect(bare.stderr).toContain(
        `note: ${shown(join(outside, 'generated/rest/inventory.ts'))} imports openapi-fetch, which this project does not have: run \`npm install openapi-fetch\``,
      );
      // This repository has it: no note.
      const equipped = await meshctl('generate', shown(join(inside, 'inventory.openapi.yaml')));
      expect(equipped.code, equipped.stderr).toBe(0);
      expect(equipped.stdout).toContain(
        `wrote ${shown(join(inside, 'generated/rest/inventory.ts'))}`,
      );
      expect(equipped.stderr).not.toContain('openapi-fetch');
    },
    timeout,
  );

  it(
    'refuses to scaffold an agent into an OpenAPI document, and says what to run instead',
    async (context) => {
      const directory = temporaryDirectory(context);
      const document = join(directory, 'api.openapi.yaml');
      const text = 'openapi: 3.1.0\ninfo: { title: Api, version: 1.0.0 }\npaths: {}\n';
      writeFileSync(document, text);
      const result = await meshctl('scaffold', 'extra', '--spec', shown(document));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`run meshctl generate ${shown(document)}`);
      expect(readFileSync(document, 'utf8')).toBe(text);
    },
    timeout,
  );

  it(
    'exits 2 on an unknown option',
    async () => {
      const result = await meshctl('validate', 'examples/greeting', '--bogus');
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain("unknown option '--bogus'");
    },
    timeout,
  );

  it(
    'exits 2 on an unknown format',
    async () => {
      const result = await meshctl('validate', 'examples/greeting', '--format', 'xml');
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    },
    timeout,
  );
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
