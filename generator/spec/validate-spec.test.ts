import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostic.js';
import {
  type SpecSource,
  type ValidationResult,
  validateSources,
  validateSpec,
} from './validate-spec.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fullFixture = join(repoRoot, 'test/fixtures/specs/full.mesh.yaml');
const greetingExample = join(repoRoot, 'examples/greeting/mesh.yaml');

/** A spec text from its lines, so that the line numbers asserted below are easy to count. */
function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** One line per diagnostic: where, how bad, which code, what it says. */
function render(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(
    (diagnostic) =>
      `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity} [${diagnostic.code}] ${diagnostic.message}`,
  );
}

const badPath = 'specs/bad.mesh.yaml';

/** The errors among the diagnostics (for specs whose providers live elsewhere). */
function renderErrors(diagnostics: readonly Diagnostic[]): string[] {
  return render(diagnostics.filter((diagnostic) => diagnostic.severity === 'error'));
}

/** The model of a spec that has no errors (warnings about unprovided dependencies allowed). */
function modelWithoutErrors(text: string) {
  const result = validateOne(text);
  expect(renderErrors(result.diagnostics)).toEqual([]);
  return result.model!;
}

function validateOne(text: string, path = badPath): ValidationResult {
  return validateSources([{ path, text }]);
}

/** The result of a spec expected to be valid; fails with the diagnostics when it is not. */
function validModel(sources: readonly SpecSource[]) {
  const result = validateSources(sources);
  expect(render(result.diagnostics)).toEqual([]);
  expect(result.model).toBeDefined();
  return result.model!;
}

/** Agents, tools and lines wrapped around a tool body: the common frame of small specs. */
function toolSpec(...toolLines: string[]): string {
  return yaml(
    'agents:',
    '  - name: a',
    '    tools:',
    '      - name: t',
    ...toolLines.map((line) => `        ${line}`),
  );
}

describe('valid specs', () => {
  it('accepts the fixture that uses every feature, with no diagnostic at all', async () => {
    const result = await validateSpec([fullFixture], repoRoot);
    expect(render(result.diagnostics)).toEqual([]);
    expect(result.files).toEqual(['test/fixtures/specs/full.mesh.yaml']);
    expect(result.model?.agents.map((agent) => agent.name)).toEqual([
      'fixture-weather',
      'fixture-utility',
    ]);
  });

  it('reads agent fields, and defaults version, namespace and port', async () => {
    const [weather, utility] = (await validateSpec([fullFixture], repoRoot)).model!.agents;
    expect(weather).toMatchObject({
      name: 'fixture-weather',
      version: '2.1.0',
      description: 'Forecasts the weather.',
      namespace: 'fixtures',
      port: 9101,
      host: '0.0.0.0',
      source: 'test/fixtures/specs/full.mesh.yaml',
    });
    expect(utility).toEqual(
      expect.objectContaining({ name: 'fixture-utility', version: '1.0.0', namespace: 'default' }),
    );
    expect(utility?.port).toBe(0);
    expect(utility).not.toHaveProperty('host');
    expect(utility).not.toHaveProperty('description');
    expect(utility?.resources).toEqual([]);
    expect(utility?.prompts).toEqual([]);
  });

  it('reads a tool with every field', async () => {
    const forecast = (await validateSpec([fullFixture], repoRoot)).model!.agents[0]!.tools[0]!;
    expect(forecast.name).toBe('forecast');
    expect(forecast.capability).toBe('weather_forecast');
    expect(forecast.version).toBe('2.1.0');
    expect(forecast.tags).toEqual(['weather', 'prod']);
    expect(forecast.title).toBe('Forecast');
    expect(forecast.description).toBe('The forecast for a city.');
    expect(forecast.inputSchema).toEqual({
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
      required: ['city'],
      additionalProperties: false,
    });
    expect(forecast.outputSchema).toEqual({
      type: 'object',
      properties: { summary: { type: 'string' } },
      required: ['summary'],
    });
    expect(forecast.annotations).toEqual({
      title: 'Weather forecast',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('normalises duration and size kwargs to seconds and bytes, and keeps custom keys as they are', async () => {
    const forecast = (await validateSpec([fullFixture], repoRoot)).model!.agents[0]!.tools[0]!;
    expect(forecast.kwargs).toEqual({
      timeout: 0.25,
      retry_count: 3,
      retry_delay: 5,
      retry_backoff: 1.5,
      custom_headers: { 'X-Team': 'weather' },
      auth_required: true,
      streaming: true,
      stream_timeout: 120,
      session_required: true,
      stateful: false,
      max_response_size: 10_000_000,
      priority: 'high',
      cache_ttl: '5s',
      routing: { zones: ['eu', 'us'] },
    });
  });

  it('takes plain numbers as seconds and bytes', async () => {
    const getDate = (await validateSpec([fullFixture], repoRoot)).model!.agents[1]!.tools[0]!;
    expect(getDate.kwargs).toEqual({
      timeout: 1.5,
      retry_delay: 0,
      stream_timeout: 30,
      max_response_size: 2048,
    });
  });

  it('fills in the defaults of a tool that only has a name', async () => {
    const ping = (await validateSpec([fullFixture], repoRoot)).model!.agents[0]!.tools[1]!;
    expect(ping).toEqual({
      name: 'ping',
      capability: 'ping',
      version: '1.0.0',
      tags: [],
      inputSchema: { type: 'object', properties: {} },
      kwargs: {},
      dependencies: [],
    });
  });

  it('reads dependencies given as bare strings and as objects', async () => {
    const [weather, utility] = (await validateSpec([fullFixture], repoRoot)).model!.agents;
    expect(weather!.tools[0]!.dependencies).toEqual([
      {
        capability: 'date_service',
        version: '*',
        tags: [],
        required: false,
        parameter: 'dateService',
      },
      {
        capability: 'geo-lookup',
        version: '>=1.2.0 <2',
        tags: ['geo', '+fast', '-deprecated'],
        namespace: 'fixtures',
        required: true,
        parameter: 'geo',
      },
    ]);
    expect(utility!.tools[1]!.dependencies).toEqual([
      {
        capability: 'weather_forecast',
        version: '*',
        tags: [],
        required: false,
        parameter: 'weatherForecast',
      },
    ]);
  });

  it("reads ranges in the predecessor's syntax: commas join conditions, != excludes", () => {
    const model = modelWithoutErrors(
      toolSpec(
        'dependencies:',
        '  - {capability: clock, version: ">=1.0.0,<2.0.0"}',
        '  - {capability: calendar, version: ">=1.0.0, !=1.2.0"}',
      ),
    );
    expect(model.agents[0]!.tools[0]!.dependencies.map(({ version }) => version)).toEqual([
      '>=1.0.0,<2.0.0',
      '>=1.0.0, !=1.2.0',
    ]);
  });

  it('reads a dependency given as a list of alternatives, in order', () => {
    const model = modelWithoutErrors(
      toolSpec(
        'dependencies:',
        '  - - capability: geo_pro',
        '      version: ">=2"',
        '      required: true',
        '      name: geo',
        '    - geo_basic',
        '    - {capability: geo_free, tags: [eu, [osm, here]], namespace: maps}',
        '  - [clock]',
      ),
    );
    expect(model.agents[0]!.tools[0]!.dependencies).toEqual([
      {
        capability: 'geo_pro',
        version: '>=2',
        tags: [],
        required: true,
        parameter: 'geo',
        fallbacks: [
          { capability: 'geo_basic', version: '*', tags: [] },
          {
            capability: 'geo_free',
            version: '*',
            tags: ['eu', ['osm', 'here']],
            namespace: 'maps',
          },
        ],
      },
      { capability: 'clock', version: '*', tags: [], required: false, parameter: 'clock' },
    ]);
  });

  it('reads OR groups of tags in a dependency: any one tag of the group will do', () => {
    const model = validModel([
      {
        path: badPath,
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools:',
          '      - name: t',
          '        dependencies: [{capability: store, tags: [eu, [sql, nosql], +fast]}]',
          '      - name: store',
          '        tags: [eu, nosql]',
        ),
      },
    ]);
    expect(model.agents[0]!.tools[0]!.dependencies[0]!.tags).toEqual([
      'eu',
      ['sql', 'nosql'],
      '+fast',
    ]);
  });

  it('reads resources with a uri or a uri_template', async () => {
    const weather = (await validateSpec([fullFixture], repoRoot)).model!.agents[0]!;
    expect(weather.resources).toEqual([
      {
        name: 'stations',
        uri: 'weather://stations',
        title: 'Stations',
        description: 'Every weather station.',
        mimeType: 'application/json',
        subscribable: true,
      },
      { name: 'station', uriTemplate: 'weather://stations/{id}' },
    ]);
  });

  it('reads prompts with and without arguments', async () => {
    const weather = (await validateSpec([fullFixture], repoRoot)).model!.agents[0]!;
    expect(weather.prompts).toEqual([
      {
        name: 'summarise',
        title: 'Summarise',
        description: 'Summarise a forecast.',
        arguments: [{ name: 'city', description: 'The city.', required: true }, { name: 'style' }],
      },
      { name: 'plain', arguments: [] },
    ]);
  });

  it('accepts the greeting example', async () => {
    const result = await validateSpec([greetingExample], repoRoot);
    expect(render(result.diagnostics)).toEqual([]);
    const [greeter, clock] = result.model!.agents;
    expect(greeter?.tools[0]?.dependencies).toEqual([
      {
        capability: 'date_service',
        version: '>=1.0.0',
        tags: ['system'],
        required: false,
        parameter: 'dateService',
      },
    ]);
    expect(clock?.tools[0]?.kwargs).toEqual({
      timeout: 2,
      retry_count: 2,
      retry_delay: 0.1,
      retry_backoff: 2,
    });
  });

  it.each([
    ['250ms', 0.25],
    ['5s', 5],
    ['2m', 120],
    ['1.5m', 90],
    ['1h', 3600],
    ['3', 3],
    ['0.5', 0.5],
    ['0', 0],
  ])('reads the duration %s as %d seconds', (written, seconds) => {
    const model = validModel([
      {
        path: badPath,
        text: toolSpec('kwargs:', `  timeout: ${written}`, `  retry_delay: ${written}`),
      },
    ]);
    expect(model.agents[0]!.tools[0]!.kwargs).toEqual({ timeout: seconds, retry_delay: seconds });
  });

  it.each([
    ['10MB', 10_000_000],
    ['512KB', 512_000],
    ['1GB', 1_000_000_000],
    ['1MiB', 1_048_576],
    ['2KiB', 2048],
    ['100B', 100],
    ['4096', 4096],
  ])('reads the size %s as %d bytes', (written, bytes) => {
    const model = validModel([
      { path: badPath, text: toolSpec('kwargs:', `  max_response_size: ${written}`) },
    ]);
    expect(model.agents[0]!.tools[0]!.kwargs.max_response_size).toBe(bytes);
  });

  it('names the injected parameter after the capability in camelCase, or after name:', () => {
    const model = validModel([
      {
        path: badPath,
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools:',
          '      - name: t',
          '        dependencies: [date_service, weather-report, Geo, capability_x]',
          '      - name: u',
          '        dependencies:',
          '          - capability: date_service',
          '            name: today',
          '      - {name: d, capability: date_service}',
          '      - {name: w, capability: weather-report}',
          '      - {name: g, capability: Geo}',
          '      - {name: x, capability: capability_x}',
        ),
      },
    ]);
    const [t, u] = model.agents[0]!.tools;
    expect(t!.dependencies.map((dependency) => dependency.parameter)).toEqual([
      'dateService',
      'weatherReport',
      'geo',
      'capabilityX',
    ]);
    expect(u!.dependencies.map((dependency) => dependency.parameter)).toEqual(['today']);
  });

  it('accepts an agent with no tools, and a spec with no agents', () => {
    const model = validModel([
      { path: 'one.mesh.yaml', text: yaml('agents:', '  - name: lonely') },
      { path: 'two.mesh.yaml', text: yaml('mesh: 1', 'agents: []') },
    ]);
    expect(model.agents).toEqual([
      {
        name: 'lonely',
        version: '1.0.0',
        namespace: 'default',
        port: 0,
        tools: [],
        resources: [],
        prompts: [],
        source: 'one.mesh.yaml',
      },
    ]);
  });

  it('resolves dependencies across files of a split spec, and keeps file order', () => {
    const model = validModel([
      {
        path: 'specs/greeter.mesh.yaml',
        text: yaml(
          'agents:',
          '  - name: greeter',
          '    tools:',
          '      - name: greet',
          '        dependencies:',
          '          - capability: date_service',
          '            version: ^1.2',
          '            tags: [system, +utc, -legacy]',
          '            required: true',
        ),
      },
      {
        path: 'specs/clock.mesh.yaml',
        text: yaml(
          'agents:',
          '  - name: clock',
          '    tools:',
          '      - name: today',
          '        capability: date_service',
          '        version: 1.3.0',
          '        tags: [system]',
        ),
      },
    ]);
    expect(model.agents.map((agent) => [agent.name, agent.source])).toEqual([
      ['greeter', 'specs/greeter.mesh.yaml'],
      ['clock', 'specs/clock.mesh.yaml'],
    ]);
  });

  it('accepts a cycle of dependencies when one of them is not required', () => {
    validModel([
      {
        path: badPath,
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools:',
          '      - name: ta',
          '        dependencies: [{capability: tb, required: true}]',
          '      - name: tb',
          '        dependencies: [{capability: ta, required: false}]',
        ),
      },
    ]);
  });

  it('accepts CRLF line ends', () => {
    const model = validModel([
      { path: badPath, text: 'agents:\r\n  - name: a\r\n    version: 2.0.0\r\n' },
    ]);
    expect(model.agents[0]!.version).toBe('2.0.0');
  });
});

describe('spec files and directories', () => {
  let dir: string;
  const write = (relative: string, text: string) => {
    const path = join(dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-spec-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a spec split over several files given one by one', async () => {
    const first = write('a.mesh.yaml', yaml('agents:', '  - name: first'));
    // A file given explicitly is read whatever its name.
    const second = write('any-name.yml', yaml('agents:', '  - name: second'));
    const result = await validateSpec([second, first], dir);
    expect(render(result.diagnostics)).toEqual([]);
    expect(result.files).toEqual(['a.mesh.yaml', 'any-name.yml']);
    expect(result.model!.agents.map((agent) => [agent.name, agent.source])).toEqual([
      ['first', 'a.mesh.yaml'],
      ['second', 'any-name.yml'],
    ]);
  });

  it('expands a directory tree into its mesh.yaml and *.mesh.yaml files only', async () => {
    write('mesh.yaml', yaml('agents:', '  - name: root'));
    write(
      'services/weather.mesh.yaml',
      yaml('agents:', '  - name: weather', '    tools:', '      - name: forecast'),
    );
    write(
      'services/deep/er/clock.mesh.yml',
      yaml('agents:', '  - name: clock', '    tools:', '      - name: tick'),
    );
    write('services/deep/mesh.yml', yaml('agents:', '  - name: deep'));
    // None of these is a spec, and none is valid: reading any of them would fail the run.
    const notSpecs = 'services: {web: {image: nginx}}\n';
    write('docker-compose.yaml', notSpecs);
    write('services/ci.yml', notSpecs);
    write('services/notmesh.yaml', notSpecs);
    write('services/mesh.yaml.bak', notSpecs);
    write('services/mesh.json', '{}');
    write('node_modules/pkg/mesh.yaml', notSpecs);
    write('generated/mesh.yaml', notSpecs);
    write('.hidden/mesh.yaml', notSpecs);

    const result = await validateSpec([dir], dir);
    expect(render(result.diagnostics)).toEqual([]);
    expect(result.files).toEqual([
      'mesh.yaml',
      'services/deep/er/clock.mesh.yml',
      'services/deep/mesh.yml',
      'services/weather.mesh.yaml',
    ]);
    expect(result.model!.agents.map((agent) => agent.name)).toEqual([
      'root',
      'clock',
      'deep',
      'weather',
    ]);
  });

  it('reads a file once when it is given both directly and through its directory', async () => {
    const path = write('specs/mesh.yaml', yaml('agents:', '  - name: once'));
    const result = await validateSpec([path, join(dir, 'specs')], dir);
    expect(render(result.diagnostics)).toEqual([]);
    expect(result.files).toEqual(['specs/mesh.yaml']);
  });

  it('shows paths outside the working directory as given', async () => {
    const path = write('mesh.yaml', yaml('agents:', '  - name: 9lives'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'mesh-cwd-'));
    try {
      const result = await validateSpec([path], elsewhere);
      expect(render(result.diagnostics)).toEqual([
        `${path}:2:11: error [schema] agents[0].name must match ^[A-Za-z][A-Za-z0-9_-]*$ (letters, digits, "_" and "-", starting with a letter)`,
      ]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('reports a missing file', async () => {
    const missing = join(dir, 'nowhere.mesh.yaml');
    const result = await validateSpec([missing], dir);
    expect(render(result.diagnostics)).toEqual([
      `nowhere.mesh.yaml:1:1: error [file-unreadable] cannot read ${missing}: no such file or directory`,
    ]);
    expect(result.model).toBeUndefined();
    expect(result.files).toEqual([]);
  });

  it('reports a missing file and still validates the others', async () => {
    const good = write('good.mesh.yaml', yaml('agents:', '  - name: a', '    version: "1"'));
    const result = await validateSpec([join(dir, 'gone'), good], dir);
    expect(render(result.diagnostics)).toEqual([
      `gone:1:1: error [file-unreadable] cannot read ${join(dir, 'gone')}: no such file or directory`,
      'good.mesh.yaml:3:14: error [invalid-version] version "1" of agent "a" is not a semantic version (e.g. 1.2.0)',
    ]);
  });

  it.skipIf(process.platform === 'win32')('reports a file that cannot be read', async () => {
    // A socket exists but cannot be opened as a file, even by root (chmod would not stop root).
    const socket = join(dir, 'socket.mesh.yaml');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const result = await validateSpec([socket], dir);
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatchObject({
        file: 'socket.mesh.yaml',
        line: 1,
        column: 1,
        severity: 'error',
        code: 'file-unreadable',
      });
      expect(result.diagnostics[0]!.message).toMatch(
        new RegExp(`^cannot read ${escapeRegExp(socket)}: E[A-Z]+: `),
      );
      expect(result.model).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a directory without spec files, shown as "." when it is the working directory', async () => {
    write('docker-compose.yaml', 'services: {}\n');
    const result = await validateSpec([dir], dir);
    expect(render(result.diagnostics)).toEqual([
      `.:1:1: error [no-spec-files] no spec files in ${dir}; a directory contributes files named mesh.yaml or *.mesh.yaml`,
    ]);
    expect(result.model).toBeUndefined();
  });

  it('reports an empty subdirectory by its relative path', async () => {
    mkdirSync(join(dir, 'empty'));
    const result = await validateSpec([join(dir, 'empty')], dir);
    expect(render(result.diagnostics)).toEqual([
      `empty:1:1: error [no-spec-files] no spec files in ${join(dir, 'empty')}; a directory contributes files named mesh.yaml or *.mesh.yaml`,
    ]);
  });

  it('reports that no path was given', async () => {
    const result = await validateSpec([], dir);
    expect(render(result.diagnostics)).toEqual([
      '.:1:1: error [no-spec-files] no spec paths given; pass spec files or directories',
    ]);
    expect(result.model).toBeUndefined();
  });
});

describe('invalid specs', () => {
  it('reports a YAML syntax error at its place', () => {
    const result = validateOne(yaml('agents:', '  - name: a', '   tools: []'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:3:1: error [yaml-syntax] Sequence item without - indicator',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('   tools: []');
    expect(result.model).toBeUndefined();
  });

  it('reports an unclosed flow sequence at the end of the file', () => {
    const result = validateOne(yaml('agents:', '  - name: a', '    tools: ['));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:4:1: error [yaml-syntax] Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    // The end of the file has no text to show.
    expect(result.diagnostics[0]!.excerpt).toBeUndefined();
  });

  it('reports tabs used as indentation', () => {
    const result = validateOne('agents:\n\t- name: a\n');
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:2:1: error [yaml-syntax] Tabs are not allowed as indentation',
    ]);
  });

  it('reports a duplicate key in a map', () => {
    const result = validateOne(yaml('agents:', '  - name: a', '    version: 1.0.0', '    name: b'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:4:5: error [yaml-syntax] Map keys must be unique',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('    name: b');
  });

  it('reports several YAML documents in one file', () => {
    const result = validateOne(yaml('agents: []', '---', 'agents: []'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:2:1: error [yaml-syntax] Source contains multiple documents; please use YAML.parseAllDocuments()',
    ]);
  });

  it('reports an alias bomb instead of expanding it', () => {
    const text = yaml(
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    );
    expect(() => validateOne(text)).not.toThrow();
    expect(render(validateOne(text).diagnostics)).toEqual([
      'specs/bad.mesh.yaml:1:1: error [yaml-syntax] Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('reports an empty file and a file that is not a map', () => {
    const result = validateSources([
      { path: 'empty.mesh.yaml', text: '' },
      { path: 'list.mesh.yaml', text: '- name: a\n' },
    ]);
    expect(render(result.diagnostics)).toEqual([
      'empty.mesh.yaml:1:1: error [schema] the spec must be an object',
      'list.mesh.yaml:1:1: error [schema] the spec must be an object',
    ]);
  });

  it('reports an unknown top-level property with the properties allowed', () => {
    const result = validateOne(yaml('mesh: 1', 'agents: []', 'services: {}'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:3:1: error [schema] unknown property "services" in the spec; allowed: mesh, agents, servers',
    ]);
  });

  it('reports a misspelt top-level property with a suggestion', () => {
    const result = validateOne(yaml('agent:', '  - name: a'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:1:1: error [schema] the spec is missing required property "agents"',
      'specs/bad.mesh.yaml:1:1: error [schema] unknown property "agent" in the spec; did you mean "agents"?',
    ]);
  });

  it('reports the wrong format version', () => {
    const result = validateOne(yaml('mesh: 2', 'agents: []'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:1:7: error [schema] mesh must be 1',
    ]);
  });

  it('reports agents that are not a list', () => {
    const result = validateOne(yaml('agents:', '  greeter: {}'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:2:3: error [schema] agents must be an array',
    ]);
  });

  it('reports an unknown tool property with a "did you mean" hint', () => {
    const result = validateOne(toolSpec('descripton: Greets.'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:9: error [schema] unknown property "descripton" in agents[0].tools[0]; did you mean "description"?',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('        descripton: Greets.');
  });

  it('reports a kwarg written at tool level with a hint to kwargs:', () => {
    const result = validateOne(toolSpec('retry_count: 3'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:9: error [schema] unknown property "retry_count" in agents[0].tools[0]; resilience settings go under kwargs: (did you mean kwargs.retry_count?)',
    ]);
  });

  it('reports an unknown property of a dependency', () => {
    const result = validateOne(
      toolSpec('dependencies:', '  - capability: clock', '    optional: true'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:7:13: error [schema] unknown property "optional" in agents[0].tools[0].dependencies[0]; allowed: capability, version, tags, namespace, required, name',
    ]);
  });

  it('reports an agent without a name', () => {
    const result = validateOne(yaml('agents:', '  - version: 1.0.0', '    port: 8080'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:2:5: error [schema] agents[0] is missing required property "name"',
    ]);
  });

  it('reports a name that does not match the name pattern', () => {
    const result = validateOne(toolSpec('capability: 2fast'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:21: error [schema] agents[0].tools[0].capability must match ^[A-Za-z][A-Za-z0-9_-]*$ (letters, digits, "_" and "-", starting with a letter)',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('        capability: 2fast');
  });

  it('reports a bare dependency that is not a name', () => {
    const result = validateOne(toolSpec('dependencies: [date service]'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: error [schema] agents[0].tools[0].dependencies[0] must match ^[A-Za-z][A-Za-z0-9_-]*$ (letters, digits, "_" and "-", starting with a letter)',
    ]);
  });

  it('reports a version written as a YAML number, with a hint to quote it', () => {
    const result = validateOne(yaml('agents:', '  - name: a', '    version: 1.0'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:3:14: error [schema] agents[0].version must be a string (put it in quotes)',
    ]);
  });

  it('reports a version that is not semver, for an agent and for a tool', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    version: "1.0"',
        '    tools:',
        '      - name: t',
        '        version: v2-beta',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:3:14: error [invalid-version] version "1.0" of agent "a" is not a semantic version (e.g. 1.2.0)',
      'specs/bad.mesh.yaml:6:18: error [invalid-version] version "v2-beta" of tool "t" is not a semantic version (e.g. 1.2.0)',
    ]);
  });

  it('reports a version range that is not semver', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        '        dependencies:',
        '          - capability: t',
        '            version: ">=banana"',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:7:22: error [invalid-version-range] ">=banana" is not a semver range (examples: >=1.0.0, ^2.1, 1.x, >=1.0.0,<2.0.0, !=1.2.0)',
    ]);
  });

  it('reports a range with a stray comma, saying what to do', () => {
    const result = validateOne(toolSpec('dependencies: [{capability: t, version: ">=1.0.0,"}]'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:49: error [invalid-version-range] ">=1.0.0," is not a semver range: a comma with no condition on one side; remove it (examples: >=1.0.0, ^2.1, 1.x, >=1.0.0,<2.0.0, !=1.2.0)',
    ]);
  });

  it('reports a bad range inside a list of alternatives at its place', () => {
    const result = validateOne(
      toolSpec(
        'dependencies:',
        '  - - capability: geo_pro',
        '    - capability: geo_basic',
        '      version: "!1.2.0"',
      ),
    );
    expect(renderErrors(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:8:24: error [invalid-version-range] "!1.2.0" is not a semver range: "!" must be followed by "=" and a version, as in !=1.2.0 (examples: >=1.0.0, ^2.1, 1.x, >=1.0.0,<2.0.0, !=1.2.0)',
    ]);
  });

  it('reports an empty list of alternatives and alternatives nested in alternatives', () => {
    const result = validateOne(
      toolSpec('dependencies:', '  - []', '  - [clock, [calendar]]', '  - [clock, {version: "1"}]'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:13: error [schema] agents[0].tools[0].dependencies[0] must NOT have fewer than 1 items',
      'specs/bad.mesh.yaml:7:21: error [schema] agents[0].tools[0].dependencies[1][1] must be an object (alternatives do not nest: list capability names or dependency objects)',
      'specs/bad.mesh.yaml:8:21: error [schema] agents[0].tools[0].dependencies[2][1] is missing required property "capability"',
    ]);
  });

  it('reports alternatives that name the injected parameter differently', () => {
    const result = validateOne(
      toolSpec(
        'dependencies:',
        '  - - {capability: geo_pro, name: geo}',
        '    - {capability: geo_basic, name: geoBasic}',
      ),
    );
    expect(renderErrors(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:13: error [invalid-dependency] the alternatives of one dependency are injected as one parameter, but name it "geo" and "geoBasic"; give the name once, on the first',
    ]);
  });

  it('reports a +tag or -tag inside an OR group of tags', () => {
    const result = validateOne(toolSpec('dependencies: [{capability: x, tags: [[eu, +fast]]}]'));
    expect(renderErrors(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:52: error [invalid-dependency] "+fast" in an OR group of tags: a group lists plain tags, any one of which will do; put +fast outside the group',
    ]);
  });

  it('reports an invalid duration', () => {
    const result = validateOne(toolSpec('kwargs:', '  timeout: 5 minutes', '  retry_delay: -1'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:20: error [invalid-duration] timeout "5 minutes" is not a duration; write seconds as a number or a string like 250ms, 5s, 2m, 1h',
      'specs/bad.mesh.yaml:7:24: error [invalid-duration] retry_delay -1 is not a duration; write seconds as a number or a string like 250ms, 5s, 2m, 1h',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('          timeout: 5 minutes');
  });

  it('reports a duration of the wrong type', () => {
    const result = validateOne(toolSpec('kwargs:', '  stream_timeout: true'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:27: error [schema] agents[0].tools[0].kwargs.stream_timeout must be a number or a string',
    ]);
  });

  it('reports an invalid size', () => {
    const result = validateOne(toolSpec('kwargs:', '  max_response_size: 10 megs'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:30: error [invalid-size] max_response_size "10 megs" is not a size; write bytes as an integer or a string like 512KB, 10MB',
    ]);
  });

  it('reports a negative retry_count', () => {
    const result = validateOne(toolSpec('kwargs:', '  retry_count: -1'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:24: error [schema] agents[0].tools[0].kwargs.retry_count must be >= 0',
    ]);
  });

  it('reports a port out of range', () => {
    const result = validateOne(yaml('agents:', '  - name: a', '    port: 70000'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:3:11: error [schema] agents[0].port must be <= 65535',
    ]);
  });

  it('reports a tag listed twice', () => {
    const result = validateOne(toolSpec('tags: [fast, cheap, fast]'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:15: error [schema] agents[0].tools[0].tags lists the same value twice (items 2 and 0)',
    ]);
  });

  it('reports an input schema that does not describe an object, at its type', () => {
    const result = validateOne(toolSpec('input:', '  type: string'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:17: error [invalid-json-schema] input of tool "t" must describe an object (type: object): MCP passes tool arguments as one object',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('          type: string');
  });

  it('reports an input schema without a type at the schema', () => {
    const result = validateOne(toolSpec('input:', '  properties: {}'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:11: error [invalid-json-schema] input of tool "t" must describe an object (type: object): MCP passes tool arguments as one object',
    ]);
  });

  it('reports an input that is not a map', () => {
    const result = validateOne(toolSpec('input: string'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:16: error [schema] agents[0].tools[0].input must be an object',
    ]);
  });

  it('reports a misspelt type in a JSON Schema, at the misspelt word', () => {
    const result = validateOne(
      toolSpec('input:', '  type: object', '  properties:', '    name:', '      type: strin'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:9:21: error [invalid-json-schema] input of tool "t" is not a valid JSON Schema: /properties/name/type must be equal to one of the allowed values: array, boolean, integer, null, number, object, string',
    ]);
    expect(result.diagnostics[0]!.excerpt).toBe('              type: strin');
  });

  it('reports a malformed required list in an output schema', () => {
    const result = validateOne(toolSpec('output:', '  type: object', '  required: yes'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:7:21: error [invalid-json-schema] output of tool "t" is not a valid JSON Schema: /required must be array',
    ]);
  });

  it('reports a JSON Schema error inside a list of schemas', () => {
    const result = validateOne(
      toolSpec('output:', '  anyOf:', '    - type: string', '    - minLength: -1'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:8:26: error [invalid-json-schema] output of tool "t" is not a valid JSON Schema: /anyOf/1/minLength must be >= 0',
    ]);
  });

  it('reports two tools whose generated type names would collide', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: get_weather',
        '      - name: getWeather',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:15: error [name-collision] tool "getWeather" and tool "get_weather" (at specs/bad.mesh.yaml:4:15) would both generate GetWeatherInput; rename one of them',
    ]);
  });

  it('reports two agents, or two capabilities, whose generated file names would collide', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: date_service',
        '    tools:',
        '      - name: t',
        '        dependencies: [geo_coder, geo-coder]',
        '  - name: date-service',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: warning [unprovided-dependency] no agent in this spec provides capability "geo_coder" needed by tool "t"; it must come from another spec at run time',
      'specs/bad.mesh.yaml:5:35: error [name-collision] capability "geo-coder" and capability "geo_coder" (at specs/bad.mesh.yaml:5:24) would both generate proxies/geo-coder.ts; rename one of them',
      'specs/bad.mesh.yaml:5:35: warning [unprovided-dependency] no agent in this spec provides capability "geo-coder" needed by tool "t"; it must come from another spec at run time',
      'specs/bad.mesh.yaml:5:35: error [duplicate-parameter] two dependencies of tool "t" would both be injected as "geoCoder"; give one of them its own "name" (the first is at specs/bad.mesh.yaml:5:24)',
      'specs/bad.mesh.yaml:6:11: error [name-collision] agent "date-service" and agent "date_service" (at specs/bad.mesh.yaml:2:11) would both generate agents/date-service.ts; rename one of them',
    ]);
  });

  it('reports a JSON Schema reference that does not resolve', () => {
    const result = validateOne(
      toolSpec('input:', '  type: object', '  properties:', '    when: {$ref: "#/$defs/date"}'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:8:26: error [invalid-json-schema] input of tool "t" is not a valid JSON Schema: reference "#/$defs/date" does not resolve inside the schema (only local references like #/$defs/name are supported)',
    ]);
  });

  it('reports a pattern that is not a regular expression', () => {
    const result = validateOne(
      toolSpec(
        'input:',
        '  type: object',
        '  properties:',
        '    code: {type: string, pattern: "[a-"}',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:8:43: error [invalid-json-schema] input of tool "t" is not a valid JSON Schema: pattern "[a-" is not a valid regular expression',
    ]);
  });

  it('accepts local references to $defs and anchors', () => {
    const result = validateOne(
      toolSpec(
        'input:',
        '  type: object',
        '  properties:',
        '    when: {$ref: "#/$defs/date"}',
        '    where: {$ref: "#place"}',
        '  $defs:',
        '    date: {type: string}',
        '    place: {$anchor: place, type: string}',
      ),
    );
    expect(render(result.diagnostics)).toEqual([]);
  });

  it('reports an agent declared in two files, naming the first place', () => {
    const result = validateSources([
      { path: 'specs/one.mesh.yaml', text: yaml('agents:', '  - name: clock') },
      {
        path: 'specs/two.mesh.yaml',
        text: yaml('agents:', '  - name: greeter', '  - name: clock'),
      },
    ]);
    expect(render(result.diagnostics)).toEqual([
      'specs/two.mesh.yaml:3:11: error [duplicate-agent] agent "clock" is declared twice; first at specs/one.mesh.yaml:2:11',
    ]);
    expect(result.model).toBeUndefined();
  });

  it('reports a tool declared twice in an agent', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        '      - name: u',
        '      - name: t',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:15: error [duplicate-tool] tool "t" of agent "a" is declared twice; first at specs/bad.mesh.yaml:4:15',
    ]);
  });

  it('allows the same tool name in two agents', () => {
    validModel([
      {
        path: badPath,
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools: [{name: t}]',
          '  - name: b',
          '    tools: [{name: t}]',
        ),
      },
    ]);
  });

  it('reports a resource declared twice', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    resources:',
        '      - name: r',
        '        uri: file:///a',
        '      - name: r',
        '        uri: file:///b',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:15: error [duplicate-resource] resource "r" of agent "a" is declared twice; first at specs/bad.mesh.yaml:4:15',
    ]);
  });

  it('reports a prompt declared twice', () => {
    const result = validateOne(
      yaml('agents:', '  - name: a', '    prompts:', '      - name: p', '      - name: p'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:15: error [duplicate-prompt] prompt "p" of agent "a" is declared twice; first at specs/bad.mesh.yaml:4:15',
    ]);
  });

  it('reports two dependencies injected under the same parameter', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: date_service',
        '        tags: [utc]',
        '      - name: t',
        '        dependencies:',
        '          - date_service',
        '          - {capability: date_service, tags: [utc]}',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:9:13: error [duplicate-parameter] two dependencies of tool "t" would both be injected as "dateService"; give one of them its own "name" (the first is at specs/bad.mesh.yaml:8:13)',
    ]);
  });

  it('reports a resource without uri or uri_template, and one with both', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    resources:',
        '      - name: nothing',
        '        mime_type: text/plain',
        '      - name: both',
        '        uri: notes://all',
        '        uri_template: notes://{id}',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:4:9: error [invalid-resource] resource "nothing" needs exactly one of uri or uri_template',
      'specs/bad.mesh.yaml:6:9: error [invalid-resource] resource "both" needs exactly one of uri or uri_template',
    ]);
  });

  it('reports a cycle of required dependencies between two agents', () => {
    const result = validateSources([
      {
        path: 'specs/a.mesh.yaml',
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools:',
          '      - name: ta',
          '        dependencies:',
          '          - capability: tb',
          '            required: true',
        ),
      },
      {
        path: 'specs/b.mesh.yaml',
        text: yaml(
          'agents:',
          '  - name: b',
          '    tools:',
          '      - name: tb',
          '        dependencies:',
          '          - capability: ta',
          '            required: true',
        ),
      },
    ]);
    expect(render(result.diagnostics)).toEqual([
      'specs/b.mesh.yaml:6:13: error [dependency-cycle] required dependencies form a cycle: a.ta -> b.tb -> a.ta; none of these tools could ever become available. Mark one of them required: false',
    ]);
    expect(result.model).toBeUndefined();
  });

  it('reports a tool that requires its own capability', () => {
    const result = validateOne(
      toolSpec('capability: echo', 'dependencies:', '  - capability: echo', '    required: true'),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:7:13: error [dependency-cycle] required dependencies form a cycle: a.t -> a.t; none of these tools could ever become available. Mark one of them required: false',
    ]);
  });

  it('warns about a dependency no agent provides, and still produces the model', () => {
    const result = validateOne(toolSpec('dependencies: [weather]'));
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: warning [unprovided-dependency] no agent in this spec provides capability "weather" needed by tool "t"; it must come from another spec at run time',
    ]);
    expect(result.model?.agents[0]?.tools[0]?.dependencies[0]?.parameter).toBe('weather');
  });

  it('warns about a provided capability whose version and tags do not match', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        '        dependencies:',
        '          - capability: clock',
        '            version: ">=2"',
        '            tags: [prod, -beta]',
        '  - name: b',
        '    tools:',
        '      - name: tick',
        '        capability: clock',
        '        version: 1.5.0',
        '        tags: [prod]',
        '      - name: tock',
        '        capability: clock',
        '        version: 2.0.0',
        '        tags: [prod, beta]',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:6:13: warning [unprovided-dependency] capability "clock" is provided by b.tick@1.5.0 [prod], b.tock@2.0.0 [prod, beta], but none matches version ">=2" and tags [prod, -beta]',
    ]);
    expect(result.model).toBeDefined();
  });

  it('warns about a provider whose prerelease version a plain range does not admit (npm rules)', () => {
    const spec = (range: string) =>
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        `        dependencies: [{capability: clock, version: "${range}"}]`,
        '      - name: clock',
        '        version: 1.5.0-beta.1',
      );
    expect(render(validateOne(spec('^1.4')).diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: warning [unprovided-dependency] capability "clock" is provided by a.clock@1.5.0-beta.1 [], but none matches version "^1.4" and tags []',
    ]);
    validModel([{ path: badPath, text: spec('>=1.5.0-0') }]);
  });

  it('warns about alternatives only when none of them is provided', () => {
    const provided = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        '        dependencies: [[geo_pro, geo_basic]]',
        '      - name: geo_basic',
      ),
    );
    expect(render(provided.diagnostics)).toEqual([]);
    const missing = validateOne(toolSpec('dependencies: [[geo_pro, geo_basic]]'));
    expect(render(missing.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: warning [unprovided-dependency] no agent in this spec provides capability "geo_pro" or "geo_basic" needed by tool "t"; it must come from another spec at run time',
    ]);
  });

  it('matches an OR group of tags when the provider carries any one of them', () => {
    const spec = (tags: string) =>
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: t',
        `        dependencies: [{capability: store, tags: ${tags}}]`,
        '      - name: store',
        '        tags: [nosql]',
      );
    validModel([{ path: badPath, text: spec('[[sql, nosql]]') }]);
    expect(render(validateOne(spec('[[sql, graph]]')).diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:24: warning [unprovided-dependency] capability "store" is provided by a.store@1.0.0 [nosql], but none matches version "*" and tags [[sql, graph]]',
    ]);
  });

  it('follows a required dependency through the alternative that the spec provides', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: a',
        '    tools:',
        '      - name: ta',
        '        dependencies:',
        '          - [{capability: missing, required: true}, tb]',
        '      - name: tb',
        '        dependencies: [{capability: ta, required: true}]',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:8:24: error [dependency-cycle] required dependencies form a cycle: a.ta -> a.tb -> a.ta; none of these tools could ever become available. Mark one of them required: false',
    ]);
  });

  it('treats +tags as preferences, not requirements', () => {
    validModel([
      {
        path: badPath,
        text: yaml(
          'agents:',
          '  - name: a',
          '    tools:',
          '      - name: t',
          '        dependencies: [{capability: clock, tags: [+utc]}]',
          '      - name: clock',
        ),
      },
    ]);
  });

  it('reports every problem of a file at once, sorted by line and column', () => {
    const result = validateOne(
      yaml(
        'agents:',
        '  - name: broken',
        '    tools:',
        '      - name: t',
        '        timeout: 3',
        '  - name: a',
        '    version: "x"',
        '    tools:',
        '      - name: t',
        '        input: {type: array}',
        '        kwargs: {timeout: soon, max_response_size: lots}',
        '        dependencies:',
        '          - capability: z',
        '            version: "~~"',
        '      - name: t',
        '    resources:',
        '      - name: r',
        '  - name: a',
      ),
    );
    expect(render(result.diagnostics)).toEqual([
      'specs/bad.mesh.yaml:5:9: error [schema] unknown property "timeout" in agents[0].tools[0]; resilience settings go under kwargs: (did you mean kwargs.timeout?)',
      'specs/bad.mesh.yaml:7:14: error [invalid-version] version "x" of agent "a" is not a semantic version (e.g. 1.2.0)',
      'specs/bad.mesh.yaml:10:23: error [invalid-json-schema] input of tool "t" must describe an object (type: object): MCP passes tool arguments as one object',
      'specs/bad.mesh.yaml:11:27: error [invalid-duration] timeout "soon" is not a duration; write seconds as a number or a string like 250ms, 5s, 2m, 1h',
      'specs/bad.mesh.yaml:11:52: error [invalid-size] max_response_size "lots" is not a size; write bytes as an integer or a string like 512KB, 10MB',
      'specs/bad.mesh.yaml:13:13: warning [unprovided-dependency] no agent in this spec provides capability "z" needed by tool "t"; it must come from another spec at run time',
      'specs/bad.mesh.yaml:14:22: error [invalid-version-range] "~~" is not a semver range (examples: >=1.0.0, ^2.1, 1.x, >=1.0.0,<2.0.0, !=1.2.0)',
      'specs/bad.mesh.yaml:15:15: error [duplicate-tool] tool "t" of agent "a" is declared twice; first at specs/bad.mesh.yaml:9:15',
      'specs/bad.mesh.yaml:17:9: error [invalid-resource] resource "r" needs exactly one of uri or uri_template',
      'specs/bad.mesh.yaml:18:11: error [duplicate-agent] agent "a" is declared twice; first at specs/bad.mesh.yaml:6:11',
    ]);
    expect(result.model).toBeUndefined();
  });

  it('sorts diagnostics of several files by file first', () => {
    const result = validateSources([
      { path: 'z.mesh.yaml', text: yaml('agents:', '  - name: 1z') },
      { path: 'a.mesh.yaml', text: yaml('agents:', '  - name: a', '    version: "2"') },
      { path: 'm.mesh.yaml', text: 'agents: [\n' },
    ]);
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`)).toEqual(
      ['a.mesh.yaml:3', 'm.mesh.yaml:2', 'z.mesh.yaml:2'],
    );
    expect(result.files).toEqual(['z.mesh.yaml', 'a.mesh.yaml', 'm.mesh.yaml']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
