import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from './project/generate-project.js';
import { type GenerateResult, runGenerate } from './run-generate.js';

const run = promisify(execFile);
const fixtures = join(projectRoot, 'test/fixtures/generator');
const richFixture = join(fixtures, 'rich');
const edgeFixture = join(fixtures, 'edge-names');
const greetingExample = join(projectRoot, 'examples/greeting');

const temporary: string[] = [];

/** A fresh folder, removed after the test whatever its outcome. */
function temporaryDirectory(parent = tmpdir(), prefix = 'mesh-generate-'): string {
  const directory = mkdtempSync(join(parent, prefix));
  temporary.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Copies the spec files of a fixture folder into `to`. */
function copySpecs(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (/\.ya?ml$/.test(name)) copyFileSync(join(from, name), join(to, name));
  }
  return to;
}

/** Every file under a folder, as sorted posix paths relative to it. */
function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Generates a mesh and fails the test on any diagnostic error. */
async function generate(
  paths: string[],
  options: { check?: boolean; outDirectory?: string; handlersDirectory?: string } = {},
): Promise<NonNullable<GenerateResult['report']>> {
  const result = await runGenerate({ paths, check: options.check ?? false, ...options });
  expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  expect(result.report).toBeDefined();
  return result.report!;
}

const tsc = join(projectRoot, 'node_modules/.bin/tsc');

/** Runs the real compiler on a project; answers its exit code and the files it reported. */
async function typecheck(
  project: string,
): Promise<{ code: number; output: string; files: string[] }> {
  try {
    const { stdout } = await run(tsc, ['--noEmit', '--pretty', 'false', '-p', project], {
      cwd: projectRoot,
    });
    return { code: 0, output: stdout, files: [] };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    const files = [
      ...new Set(
        [...output.matchAll(/^(.+?)\(\d+,\d+\): error TS\d+/gm)].map((match) =>
          (match[1] as string).split(sep).join('/'),
        ),
      ),
    ].sort();
    return { code: failure.code ?? -1, output, files };
  }
}

describe('generated code compiles under the strict tsconfig', () => {
  // Inside the project, so that `@mcp-mesh/runtime` resolves as a package self-reference.
  let root = '';

  beforeAll(async () => {
    root = mkdtempSync(join(projectRoot, '.tmp-generate-'));
    try {
      await generate([copySpecs(richFixture, join(root, 'rich'))]);
      await generate([copySpecs(edgeFixture, join(root, 'edge'))]);
      mkdirSync(join(root, 'good'));
      mkdirSync(join(root, 'bad'));
      for (const [name, text] of Object.entries(goodHandlers))
        writeFileSync(join(root, 'good', name), text);
      for (const [name, text] of Object.entries(badHandlers))
        writeFileSync(join(root, 'bad', name), text);
      const tsconfig = (include: string[]) =>
        `${JSON.stringify({ extends: '../tsconfig.json', include }, null, 2)}\n`;
      writeFileSync(join(root, 'tsconfig.json'), tsconfig(['rich', 'edge', 'good']));
      writeFileSync(join(root, 'tsconfig.bad.json'), tsconfig(['bad']));
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('generates the stubs, proxies and scaffolds of the rich fixture', () => {
    expect(filesUnder(join(root, 'rich'))).toEqual([
      'generated/agents/geo.ts',
      'generated/agents/utility-box.ts',
      'generated/agents/weather-station.ts',
      'generated/proxies/billing-ledger.ts',
      'generated/proxies/date-service.ts',
      'generated/proxies/geo-lookup.ts',
      'generated/proxies/maps-basic.ts',
      'generated/proxies/unit-converter.ts',
      'handlers/geo.ts',
      'handlers/utility-box.ts',
      'handlers/weather-station.ts',
      'rich-utility.mesh.yaml',
      'rich.mesh.yaml',
    ]);
    expect(filesUnder(join(root, 'edge'))).toEqual([
      'generated/agents/agent.ts',
      'generated/proxies/cache.ts',
      'generated/proxies/capability.ts',
      'handlers/agent.ts',
      'mesh.yaml',
    ]);
  });

  it('types what the spec declares', () => {
    const read = (path: string) => readFileSync(join(root, 'rich/generated', path), 'utf8');
    const station = read('agents/weather-station.ts');
    // A dashed tool name is a quoted key; a comment terminator in a description is escaped.
    expect(station).toContain(
      "    /** The weather for a place. Ends a comment *\\/ early if not escaped. */\n    readonly 'get-weather': ToolHandler<GetWeatherInput, GetWeatherOutput, GetWeatherDependencies>;",
    );
    expect(station).toContain("    readonly 'station-detail': ResourceHandler;");
    expect(station).toContain("    readonly 'plain-prompt': PromptHandler;");
    // Completions name what can be completed: prompt arguments, template variables.
    expect(station).toContain(
      '      readonly summarise?: { readonly city?: CompletionHandler; readonly style?: CompletionHandler; };',
    );
    expect(station).toContain(
      "      readonly 'station-detail'?: { readonly id?: CompletionHandler; };",
    );
    // $defs are named after their root; an empty closed input is an empty record.
    expect(station).toContain(
      '  current: GetWeatherOutputReading;\n  hourly: GetWeatherOutputReading[];',
    );
    expect(station).toContain('export type ResetInput = Record<string, never>;');
    expect(station).toContain('export type ResetOutput = boolean;');
    expect(station).toContain('export type PingOutput = unknown;');
    // Two dependencies on one capability, each under its own name; the external one too.
    expect(station).toContain('  readonly primaryConverter: UnitConverterProxy | undefined;');
    expect(station).toContain('  readonly backupConverter: UnitConverterProxy | undefined;');
    expect(station).toContain('  readonly billingLedger: BillingLedgerProxy | undefined;');
    expect(station).toContain(
      '  /** `date_service` >=1.0.0 <2, tags system +fast -deprecated, required. */',
    );
    // Alternatives: one parameter, typed as any of their proxies, told apart by capability.
    expect(station).toContain(
      "  /** `geo_lookup` >=2.0.0, !=2.0.1; else `maps_basic` *, tags [osm, here]. */\n  readonly anyGeo: (GeoLookupProxy & { readonly capability: 'geo_lookup' }) | (MapsBasicProxy & { readonly capability: 'maps_basic' }) | undefined;",
    );
    // Kwargs in wire units, custom keys kept.
    expect(station).toContain(
      "      kwargs: {\n        timeout: 0.25,\n        retry_count: 3,\n        retry_delay: 5,\n        retry_backoff: 1.5,\n        custom_headers: {\n          'X-Team': 'weather',\n          'x-trace-id': 'on',\n        },",
    );
    expect(station).toContain(
      "        stream_timeout: 120,\n        session_required: true,\n        stateful: false,\n        max_response_size: 10000000,\n        priority: 'high',\n        'cache-ttl': '30s',",
    );
    expect(station).toContain(
      "proxyDefaults: { billing_ledger: billingLedgerDefaults, date_service: dateServiceDefaults, geo_lookup: geoLookupDefaults, maps_basic: mapsBasicDefaults, 'unit-converter': unitConverterDefaults }",
    );

    const geo = read('agents/geo.ts');
    expect(geo).toContain('export interface LookupV2InputPlace {');
    expect(geo).toContain('export interface LookupV2OutputPlace {');

    // The proxy of a capability with two providers is typed from the higher version.
    const geoLookup = read('proxies/geo-lookup.ts');
    expect(geoLookup).toContain('(in the spec: geo.lookup_v2@2.0.0)');
    expect(geoLookup).toContain(
      "  provider: 'geo.lookup_v2',\n  kwargs: {\n    timeout: 3,\n    retry_count: 1,\n  },",
    );
    // A capability no agent of the spec provides: open types, no kwargs.
    const billing = read('proxies/billing-ledger.ts');
    expect(billing).toContain('export type BillingLedgerInput = Record<string, unknown>;');
    expect(billing).toContain('export type BillingLedgerOutput = unknown;');
    expect(billing).toContain("  capability: 'billing_ledger',\n  kwargs: {},\n};");
    expect(read('proxies/unit-converter.ts')).toContain(
      "    'x-custom': [\n      1,\n      'two',\n      {\n        three: 3,\n      },\n    ],",
    );

    for (const path of filesUnder(join(root, 'rich/generated'))) {
      expect(read(path)).toMatch(
        /^\/\/ Generated by mcp-mesh from \.\.\/\.\.\/rich(-utility)?\.mesh\.yaml\. Do not edit/,
      );
    }

    const scaffold = readFileSync(join(root, 'rich/handlers/weather-station.ts'), 'utf8');
    expect(scaffold).toContain("    async 'get-weather'(input, dependencies, context) {");
    expect(scaffold).toContain("    async 'station-detail'(uri, variables, context) {");
    expect(scaffold).toContain("    async 'plain-prompt'(args, context) {");

    // Names that collide with the runtime's are imported under an alias.
    const edge = readFileSync(join(root, 'edge/generated/agents/agent.ts'), 'utf8');
    expect(edge).toContain('type AgentHandlers as RuntimeAgentHandlers');
    expect(edge).toContain('defineAgent as runtimeDefineAgent');
    expect(edge).toContain("  readonly 'cache-': CacheProxy | undefined;");
    expect(edge).toContain('export interface ToolInput {');
    expect(edge).toContain('export type ToolInputMode = ("fast" | "slow");');
  });

  it('compiles: stubs, proxies, scaffolds and handlers written against them', async () => {
    const result = await typecheck(join(root, 'tsconfig.json'));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('rejects handlers that do not match the spec', async () => {
    const result = await typecheck(join(root, 'tsconfig.bad.json'));
    expect(result.code).not.toBe(0);
    // Every bad handler fails, and nothing else does.
    expect(result.files).toEqual(
      Object.keys(badHandlers)
        .sort()
        .map((name) =>
          relative(projectRoot, join(root, 'bad', name))
            .split(sep)
            .join('/'),
        ),
    );
    const errors = (file: string) =>
      result.output.split('\n').filter((line) => line.includes(`/bad/${file}(`));
    expect(errors('wrong-output.ts').join('\n')).toContain(
      "Type 'string' is not assignable to type 'GetWeatherOutputReading'",
    );
    expect(errors('wrong-boolean-output.ts').join('\n')).toContain(
      "Type 'Promise<string>' is not assignable to type 'boolean | Promise<boolean>'",
    );
    expect(errors('wrong-input.ts').join('\n')).toContain(
      "Property 'amount' does not exist on type 'ConvertInput'",
    );
    expect(errors('wrong-proxy-call.ts').join('\n')).toContain(
      "Type 'number' is not assignable to type 'string'",
    );
    expect(errors('unknown-dependency.ts').join('\n')).toContain(
      "Property 'clock' does not exist on type 'GetWeatherDependencies'",
    );
    expect(errors('missing-tool.ts').join('\n')).toContain("Property 'convert' is missing");
    expect(errors('missing-resource.ts').join('\n')).toContain(
      "Property ''station-detail'' is missing",
    );
    expect(errors('unknown-completion.ts').join('\n')).toContain("'town' does not exist in type");
  }, 60_000);
});

const stationImport = "from '../rich/generated/agents/weather-station.js';";

/** Handlers written against the generated types; they use every typed dependency. */
const goodHandlers: Record<string, string> = {
  'weather-station.ts': `import { defineWeatherStation, type GetWeatherOutput } ${stationImport}

export default defineWeatherStation({
  tools: {
    async 'get-weather'(input, dependencies, context): Promise<GetWeatherOutput> {
      const { geoLookup, dateService, primaryConverter, backupConverter, billingLedger } = dependencies;
      const units: 'metric' | 'imperial' = input.units ?? 'metric';
      const found = await geoLookup?.call(
        { query: input.location.city, near: { lat: 1, lon: 2 } },
        { signal: context.signal },
      );
      const place = found?.places[0];
      const today = await dateService?.call({});
      const converted = await primaryConverter?.call({ value: 20, from: 'C', to: 'F' });
      await backupConverter?.call({ value: converted?.value ?? 0, from: 'F', to: 'C' });
      const ledger: unknown = await billingLedger?.call({ anything: ['goes'] });
      return {
        current: { at: today?.date ?? '', temperature: place?.lat ?? 0, condition: 'sunny' },
        hourly: [],
        alerts: [units, String(ledger), ...(input.fields ?? [])],
      };
    },
    ping: () => 'pong',
    reset: async (_input, { geoLookup, anyGeo }) => {
      // Which alternative was injected decides how to call it.
      if (anyGeo?.capability === 'geo_lookup') await anyGeo.call({ query: 'Oslo', limit: 1 });
      else await anyGeo?.call({ whatever: true });
      return geoLookup !== undefined;
    },
  },
  resources: {
    stations: () => ({ text: '[]', mimeType: 'application/json' }),
    'station-detail': (uri, variables) => variables.id ?? uri.href,
  },
  prompts: {
    summarise: (args) => \`Summarise the forecast for \${args.city}\`,
    'plain-prompt': () => [{ role: 'user', text: 'hello' }],
  },
  completions: {
    prompts: { summarise: { city: (typed) => ['Paris', 'Oslo'].filter((c) => c.startsWith(typed)) } },
    resources: { 'station-detail': { id: async () => ['st-1'] } },
  },
});
`,
  'utility-box.ts': `import { defineUtilityBox } from '../rich/generated/agents/utility-box.js';

export default defineUtilityBox({
  tools: {
    get_date: () => ({ date: '2025-01-01' }),
    convert: ({ value, from, to }) => ({ value: from === to ? value : value * 2 }),
  },
});
`,
  'agent.ts': `import { defineAgent } from '../edge/generated/agents/agent.js';

export default defineAgent({
  tools: {
    async tool(input, dependencies) {
      const mode: 'fast' | 'slow' | undefined = input.mode;
      await dependencies['cache-']?.call({});
      return (await dependencies.capability?.call({})) ?? mode;
    },
    other: () => null,
  },
});
`,
};

/** Handlers that break the generated types, one way each. */
const badHandlers: Record<string, string> = {
  'wrong-output.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': (input) => ({ current: input.location.city, hourly: [] }),
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'wrong-boolean-output.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': () => ({ current: { at: '', temperature: 1, condition: 'sunny' }, hourly: [] }),
    ping: () => 'pong',
    reset: async () => 'yes',
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'wrong-input.ts': `import { defineUtilityBox } from '../rich/generated/agents/utility-box.js';

export default defineUtilityBox({
  tools: {
    get_date: () => ({ date: '' }),
    convert: (input) => ({ value: input.amount }),
  },
});
`,
  'wrong-proxy-call.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': async (_input, { geoLookup }) => {
      await geoLookup?.call({ query: 42 });
      return { current: { at: '', temperature: 1, condition: 'sunny' }, hourly: [] };
    },
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'wrong-enum.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': () => ({ current: { at: '', temperature: 1, condition: 'foggy' }, hourly: [] }),
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'missing-tool.ts': `import { defineUtilityBox } from '../rich/generated/agents/utility-box.js';

export default defineUtilityBox({
  tools: {
    get_date: () => ({ date: '' }),
  },
});
`,
  'unknown-dependency.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': async (_input, dependencies) => {
      await dependencies.clock?.call({});
      return { current: { at: '', temperature: 1, condition: 'sunny' }, hourly: [] };
    },
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'missing-resource.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': () => ({ current: { at: '', temperature: 1, condition: 'sunny' }, hourly: [] }),
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
});
`,
  'unknown-completion.ts': `import { defineWeatherStation } ${stationImport}

export default defineWeatherStation({
  tools: {
    'get-weather': () => ({ current: { at: '', temperature: 1, condition: 'sunny' }, hourly: [] }),
    ping: () => 'pong',
    reset: () => true,
  },
  resources: { stations: () => '', 'station-detail': () => '' },
  prompts: { summarise: () => '', 'plain-prompt': () => '' },
  completions: { prompts: { summarise: { town: () => [] } } },
});
`,
};

describe('generation is deterministic', () => {
  it('gives byte-identical files for the same spec, whatever the order of its files', async () => {
    const first = copySpecs(richFixture, join(temporaryDirectory(), 'mesh'));
    const second = copySpecs(richFixture, join(temporaryDirectory(), 'mesh'));
    await generate([first]);
    await generate([join(second, 'rich.mesh.yaml'), join(second, 'rich-utility.mesh.yaml')]);
    const files = filesUnder(first);
    expect(files.length).toBeGreaterThan(10);
    expect(filesUnder(second)).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(second, file)), file).toEqual(readFileSync(join(first, file)));
    }
  });

  it('reproduces the checked-in code of the greeting example', async () => {
    const directory = temporaryDirectory();
    copyFileSync(join(greetingExample, 'mesh.yaml'), join(directory, 'mesh.yaml'));
    await generate([join(directory, 'mesh.yaml')]);
    const expected = filesUnder(join(greetingExample, 'generated'));
    expect(expected).toEqual(['agents/clock.ts', 'agents/greeter.ts', 'proxies/date-service.ts']);
    expect(filesUnder(join(directory, 'generated'))).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(join(directory, 'generated', file), 'utf8'), file).toBe(
        readFileSync(join(greetingExample, 'generated', file), 'utf8'),
      );
    }
  });

  it('finds the checked-in greeting example up to date', async () => {
    const report = await generate([greetingExample], { check: true });
    expect(report).toEqual({ changed: [], stale: [], scaffolded: [] });
  });
});

describe('handler scaffolds', () => {
  it('are written once and never overwritten; a deleted one comes back', async () => {
    const mesh = copySpecs(richFixture, join(temporaryDirectory(), 'mesh'));
    const scaffold = join(mesh, 'handlers/geo.ts');
    const first = await generate([mesh]);
    expect(first.scaffolded.sort()).toEqual(
      ['geo.ts', 'utility-box.ts', 'weather-station.ts'].map((name) =>
        join(mesh, 'handlers', name),
      ),
    );
    const original = readFileSync(scaffold, 'utf8');

    const edited = original.replace(
      "throw new Error('lookup is not implemented yet');",
      'return { lat: 0, lon: 0 };',
    );
    expect(edited).not.toBe(original);
    writeFileSync(scaffold, edited);
    const second = await generate([mesh]);
    expect(second).toEqual({ changed: [], stale: [], scaffolded: [] });
    expect(readFileSync(scaffold, 'utf8')).toBe(edited);

    unlinkSync(scaffold);
    const checked = await generate([mesh], { check: true });
    expect(checked).toEqual({ changed: [], stale: [], scaffolded: [scaffold] });
    expect(existsSync(scaffold)).toBe(false);

    const third = await generate([mesh]);
    expect(third).toEqual({ changed: [], stale: [], scaffolded: [scaffold] });
    expect(readFileSync(scaffold, 'utf8')).toBe(original);
  });

  it('go to --handlers when given, importing the stubs from --out', async () => {
    const directory = temporaryDirectory();
    const out = join(directory, 'src/generated-code');
    const handlers = join(directory, 'src/agents');
    await generate([join(richFixture, 'rich-utility.mesh.yaml')], {
      outDirectory: out,
      handlersDirectory: handlers,
    });
    // No tool of this file depends on anything: no proxies.
    expect(filesUnder(directory)).toEqual([
      'src/agents/utility-box.ts',
      'src/generated-code/agents/utility-box.ts',
    ]);
    expect(readFileSync(join(handlers, 'utility-box.ts'), 'utf8')).toContain(
      "import { defineUtilityBox } from '../generated-code/agents/utility-box.js';",
    );
  });
});

describe('stale generated files', () => {
  it('are reported by --check, then removed; scaffolds and foreign files stay', async () => {
    const mesh = copySpecs(richFixture, join(temporaryDirectory(), 'mesh'));
    await generate([mesh]);
    const notes = join(mesh, 'generated/agents/notes.ts');
    writeFileSync(notes, '// My notes: not generated, so never removed.\n');

    const spec = join(mesh, 'rich.mesh.yaml');
    const text = readFileSync(spec, 'utf8');
    const renamed = text
      .replace('\n  - name: geo\n', '\n  - name: geography\n')
      .replace(
        /\n {10}# No agent of this spec provides billing[^\n]*\n[^\n]*billing_ledger\n[^\n]*\n/,
        '\n',
      );
    expect(renamed).not.toContain('name: geo\n');
    expect(renamed).not.toContain('billing_ledger');
    writeFileSync(spec, renamed);

    const staleAgent = join(mesh, 'generated/agents/geo.ts');
    const staleProxy = join(mesh, 'generated/proxies/billing-ledger.ts');
    const checked = await generate([mesh], { check: true });
    expect(checked.stale.sort()).toEqual([staleAgent, staleProxy]);
    expect(checked.changed.sort()).toEqual(
      [
        'generated/agents/geography.ts',
        'generated/agents/weather-station.ts',
        'generated/proxies/geo-lookup.ts',
      ].map((file) => join(mesh, file)),
    );
    expect(existsSync(staleAgent)).toBe(true);
    expect(existsSync(staleProxy)).toBe(true);

    const written = await generate([mesh]);
    expect(written.stale.sort()).toEqual([staleAgent, staleProxy]);
    expect(written.scaffolded).toEqual([join(mesh, 'handlers/geography.ts')]);
    expect(existsSync(staleAgent)).toBe(false);
    expect(existsSync(staleProxy)).toBe(false);
    expect(existsSync(join(mesh, 'generated/agents/geography.ts'))).toBe(true);
    expect(readFileSync(join(mesh, 'generated/proxies/geo-lookup.ts'), 'utf8')).toContain(
      "provider: 'geography.lookup_v2'",
    );
    // The old scaffold is the user's code: kept. So is a file without the generated marker.
    expect(existsSync(join(mesh, 'handlers/geo.ts'))).toBe(true);
    expect(existsSync(notes)).toBe(true);

    expect(await generate([mesh], { check: true })).toEqual({
      changed: [],
      stale: [],
      scaffolded: [],
    });
  });
});

describe('an invalid spec', () => {
  it('produces diagnostics and writes nothing', async () => {
    const directory = temporaryDirectory();
    writeFileSync(
      join(directory, 'mesh.yaml'),
      'mesh: 1\nagents:\n  - name: broken\n    tools:\n      - name: t\n        version: soon\n',
    );
    const result = await runGenerate({ paths: [directory], check: false });
    expect(result.report).toBeUndefined();
    expect(result.diagnostics).toMatchObject([
      { line: 6, column: 18, severity: 'error', code: 'invalid-version' },
    ]);
    expect(filesUnder(directory)).toEqual(['mesh.yaml']);
  });
});
