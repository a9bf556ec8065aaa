// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the agent of
// examples/conformance, and prints one row per server scenario:
//
//   npm run conformance                        # both protocol eras
//   npm run conformance -- --suite 2025-11-25  # only one (repeatable); --verbose shows the suite's own output
//
// Suites: @modelcontextprotocol/conformance 0.1.x for 2025-11-25 (initialize and sessions), and the
// 0.2.0 alpha, installed under the alias mcp-conformance-next, for what 2026-07-28 requires.
//
// What it does: starts the agent standalone (MCP_MESH_REGISTRY_URL=off) on a free port, runs each
// suite's server scenarios against http://127.0.0.1:<port>/mcp with Node 22 (the suite needs it;
// see test/conformance/node22/package.json), reads every scenario's checks, and always stops the
// agent. Exit 1 when a scored scenario fails without being listed below as an expected failure,
// or when a listed one passes (the list is stale: remove it); scenarios the suite itself does not
// score (pending, extension) are shown but never fail the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { agentCommand } from '../../cli/processes/spawn.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const agentHandlers = 'examples/conformance/handlers/conformance.ts';
const node22Dir = join(root, 'test/conformance/node22');
const node22 = join(node22Dir, 'node_modules/.bin/node');

/**
 * Why checks fail today: the gap, and where it is (for whoever closes it). The table names these
 * keys; the full text is printed once below it.
 */
const reasons = {
  // None today: every scored check of both suites passes. Add `key: 'the gap, and where it is'`
  // here and list the failing checks under expectedFailures when one cannot be fixed at once.
} as const;

type Reason = keyof typeof reasons;

/** Per scenario: the checks that fail today, each with its reason. Any other failing check fails the run. */
type ExpectedFailures = Readonly<Record<string, Readonly<Record<string, Reason>>>>;

interface SuiteRun {
  /** Arguments after `server --url <url>`. */
  readonly args: readonly string[];
  /** Whether the scenarios of this run count (unless the suite's own output says one does not). */
  readonly scored: boolean;
}

interface Suite {
  /** The protocol revision the suite checks; also the --suite value. */
  readonly id: string;
  /** The npm package (its folder in node_modules) that provides it. */
  readonly packageDir: string;
  readonly runs: readonly SuiteRun[];
  readonly expectedFailures: ExpectedFailures;
}

const suites: readonly Suite[] = [
  {
    id: '2025-11-25',
    // 0.1.x: the scenarios of 2025-06-18 and 2025-11-25 (initialize, sessions).
    packageDir: '@modelcontextprotocol/conformance',
    runs: [
      { args: ['--suite', 'active'], scored: true },
      // json-schema-2020-12 and server-sse-polling: the suite's pending scenarios, shown only.
      { args: ['--suite', 'pending'], scored: false },
    ],
    expectedFailures: {},
  },
  {
    id: '2026-07-28',
    // 0.2.0 alpha (installed under the alias mcp-conformance-next): the scenarios the 2026-07-28
    // revision requires (stateless, no initialize); its output says which it does not score.
    packageDir: 'mcp-conformance-next',
    runs: [{ args: ['--requirements', '2026-07-28'], scored: true }],
    expectedFailures: {},
  },
];

type Outcome = 'passed' | 'FAILED' | 'expected-failure' | 'STALE' | 'not scored';

interface Check {
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED' | string;
  readonly errorMessage?: string;
}

interface Row {
  readonly suite: string;
  readonly scenario: string;
  readonly outcome: Outcome;
  readonly checks: string;
  readonly note: string;
}

interface Options {
  readonly suites: readonly Suite[];
  readonly verbose: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const chosen: Suite[] = [];
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--verbose') verbose = true;
    else if (arg === '--suite') {
      const id = argv[++i];
      const suite = suites.find((s) => s.id === id);
      if (!suite) usage(`unknown suite ${String(id)}`);
      chosen.push(suite);
    } else usage(`unknown argument ${arg}`);
  }
  return { suites: chosen.length > 0 ? chosen : suites, verbose };
}

function usage(problem: string): never {
  console.error(
    `run-conformance: ${problem}\nusage: run-conformance [--suite ${suites.map((s) => s.id).join('|')}]... [--verbose]`,
  );
  process.exit(2);
}

/** Node 22 from the npm package `node@22`, installed in its own folder on first use. */
async function ensureNode22(): Promise<string> {
  if (!existsSync(node22)) {
    console.log(
      'installing Node 22 for the conformance suite: npm ci --prefix test/conformance/node22',
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { code, output } = await run(
      npm,
      ['ci', '--prefix', node22Dir, '--no-audit', '--no-fund'],
      {
        timeoutMs: 300_000,
      },
    );
    if (code !== 0 || !existsSync(node22)) {
      throw new Error(`npm ci --prefix test/conformance/node22 failed (exit ${code}):\n${output}`);
    }
  }
  const { code, output } = await run(node22, ['--version'], { timeoutMs: 30_000 });
  if (code !== 0 || !/^v22\./.test(output.trim())) {
    throw new Error(`${node22} is not Node 22: ${output.trim()}`);
  }
  return node22;
}

function suiteEntry(suite: Suite): string {
  const packageJson = join(root, 'node_modules', suite.packageDir, 'package.json');
  if (!existsSync(packageJson)) {
    throw new Error(
      `${suite.packageDir} is not installed (run npm ci): needed for suite ${suite.id}`,
    );
  }
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    version: string;
    bin: Record<string, string>;
  };
  return join(dirname(packageJson), manifest.bin.conformance ?? 'dist/index.js');
}

function suiteVersion(suite: Suite): string {
  const packageJson = join(root, 'node_modules', suite.packageDir, 'package.json');
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** A port nobody listens on right now (the agent may still lose a race for it: then we retry). */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface Agent {
  readonly url: string;
  readonly child: ChildProcess;
  readonly log: () => string;
}

async function startAgent(): Promise<Agent> {
  let lastLog = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const [node, ...args] = agentCommand(resolve(root, agentHandlers));
    const child = spawn(node as string, args, {
      cwd: root,
      env: {
        ...process.env,
        MCP_MESH_REGISTRY_URL: 'off',
        MCP_MESH_HTTP_HOST: '127.0.0.1',
        MCP_MESH_HTTP_PORT: String(port),
        MCP_MESH_LOG_LEVEL: process.env.MCP_MESH_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const response = await fetch(`${url}/ready`);
        if (response.ok) return { url: `${url}/mcp`, child, log: () => log };
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    lastLog = log;
    await stopProcess(child);
    if (!/EADDRINUSE/.test(log)) break;
  }
  throw new Error(`the conformance agent did not become ready:\n${lastLog}`);
}

/** Child processes to end however this script ends. */
const running = new Set<ChildProcess>();

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
  running.delete(child);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map(stopProcess)).then(() => process.exit(130));
  });
}
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(
  command: string,
  args: readonly string[],
  { timeoutMs, echo = false }: { timeoutMs: number; echo?: boolean },
): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) process.stdout.write(chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => {
      output += `\n[run-conformance] killed after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      fail(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      done({ code, output });
    });
  });
}

/** `server-<scenario>-<ISO timestamp with - for : and .>` → scenario. */
function scenarioOfResultDir(name: string): string | undefined {
  return /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(name)?.[1];
}

/** The scenarios a suite run names in its output, in order. */
function scenariosRun(output: string): string[] {
  return [...output.matchAll(/^=== Running scenario: (.+?) ===$/gm)].map((m) => m[1]!);
}

/** Scenarios the 0.2 suite lists under "Not scored for <revision>:" with their tag. */
function unscored(output: string): Map<string, string> {
  const result = new Map<string, string>();
  const section = /^Not scored for [^\n]*\n((?:[ \t]+\S+ \S+ \([^)]*\)\n?)+)/m.exec(output)?.[1];
  for (const line of section?.split('\n') ?? []) {
    const match = /^\s+\S+\s+(\S+)\s+\(([^)]*)\)/.exec(line);
    if (match) result.set(match[1]!, match[2]!);
  }
  return result;
}

async function runSuite(
  suite: Suite,
  url: string,
  nodeBin: string,
  verbose: boolean,
): Promise<Row[]> {
  const entry = suiteEntry(suite);
  const rows: Row[] = [];
  for (const suiteRun of suite.runs) {
    const outputDir = await mkdtemp(join(tmpdir(), 'mcp-conformance-'));
    try {
      const args = [entry, 'server', '--url', url, ...suiteRun.args, '-o', outputDir];
      const { output } = await run(nodeBin, args, { timeoutMs: 300_000, echo: verbose });
      const notScored = unscored(output);
      const checksByScenario = new Map<string, Check[] | undefined>();
      for (const dir of readdirSync(outputDir)) {
        const scenario = scenarioOfResultDir(dir);
        if (!scenario) continue;
        const file = join(outputDir, dir, 'checks.json');
        checksByScenario.set(
          scenario,
          existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Check[]) : undefined,
        );
      }
      const names = scenariosRun(output);
      for (const name of checksByScenario.keys()) if (!names.includes(name)) names.push(name);
      if (names.length === 0) {
        rows.push({
          suite: suite.id,
          scenario: `(${suiteRun.args.join(' ')})`,
          outcome: suiteRun.scored ? 'FAILED' : 'not scored',
          checks: '-',
          note: `the suite ran no scenario: ${output.trim().split('\n').slice(-5).join(' | ')}`,
        });
        continue;
      }
      for (const scenario of names) {
        rows.push(
          judge(suite, scenario, checksByScenario.get(scenario), {
            scored: suiteRun.scored && !notScored.has(scenario),
            tag: notScored.get(scenario) ?? (suiteRun.scored ? undefined : 'pending'),
          }),
        );
      }
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  }
  return rows;
}

function judge(
  suite: Suite,
  scenario: string,
  checks: readonly Check[] | undefined,
  { scored, tag }: { scored: boolean; tag: string | undefined },
): Row {
  const failures = checks?.filter((check) => check.status === 'FAILURE') ?? [];
  const passedCount = checks?.filter((check) => check.status === 'SUCCESS').length ?? 0;
  const warnings = checks?.filter((check) => check.status === 'WARNING') ?? [];
  const base = {
    suite: suite.id,
    scenario,
    checks: checks ? `${passedCount}/${passedCount + failures.length}` : '-',
  };
  const describe = (list: readonly Check[], prefix = '') =>
    list.map((check) => `${prefix}${check.id}: ${check.errorMessage ?? check.status}`).join('; ');
  if (checks === undefined) {
    return {
      ...base,
      outcome: scored ? 'FAILED' : 'not scored',
      note: 'no checks.json: the scenario did not finish (run with --verbose)',
    };
  }
  if (!scored) {
    const result =
      failures.length > 0
        ? `fails: ${clip(describe(failures), 160)}`
        : passedCount === 0
          ? 'nothing checked (informational results only)'
          : 'passes';
    return { ...base, outcome: 'not scored', note: `${tag ?? 'unscored'}; ${result}` };
  }
  const expected = suite.expectedFailures[scenario];
  const unexpected = failures.filter((check) => expected?.[check.id] === undefined);
  if (unexpected.length > 0) return { ...base, outcome: 'FAILED', note: describe(unexpected) };
  if (failures.length > 0) {
    const keys = [...new Set(failures.map((check) => expected![check.id]!))];
    return {
      ...base,
      outcome: 'expected-failure',
      note: `${keys.join(', ')} (${failures.map((c) => c.id).join(', ')})`,
    };
  }
  if (expected) {
    return {
      ...base,
      outcome: 'STALE',
      note: 'passes now but is listed as an expected failure: remove it from expectedFailures in test/conformance/run-conformance.ts',
    };
  }
  const note =
    passedCount === 0
      ? 'nothing checked (informational results only)'
      : describe(warnings, 'warning ');
  return { ...base, outcome: 'passed', note: clip(note, 160) };
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function printTable(rows: readonly Row[]): void {
  const headers = ['suite', 'scenario', 'result', 'checks', 'note'] as const;
  const cells = rows.map((row) => [row.suite, row.scenario, row.outcome, row.checks, row.note]);
  const widths = headers
    .slice(0, 4)
    .map((header, i) => Math.max(header.length, ...cells.map((cell) => cell[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (i < 4 ? value.padEnd(widths[i]!) : value))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(line(widths.map((width) => '-'.repeat(width)).concat('----')));
  for (const cell of cells) console.log(line(cell));
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const nodeBin = await ensureNode22();
  const agent = await startAgent();
  const rows: Row[] = [];
  try {
    for (const suite of options.suites) {
      console.log(
        `running ${suite.packageDir}@${suiteVersion(suite)} (protocol ${suite.id}) against ${agent.url}`,
      );
      rows.push(...(await runSuite(suite, agent.url, nodeBin, options.verbose)));
    }
  } finally {
    await stopProcess(agent.child);
  }
  console.log('');
  printTable(rows);
  const used = new Set(
    options.suites.flatMap((suite) =>
      Object.values(suite.expectedFailures).flatMap((byCheck) => Object.values(byCheck)),
    ),
  );
  if (used.size > 0) console.log('\nexpected failures, by reason:');
  for (const key of Object.keys(reasons) as Reason[]) {
    if (used.has(key)) console.log(`  ${key}: ${reasons[key]}`);
  }
  const count = (outcome: Outcome) => rows.filter((row) => row.outcome === outcome).length;
  const problems = count('FAILED') + count('STALE');
  console.log('');
  console.log(
    `conformance: ${count('passed')} passed, ${count('FAILED')} failed, ${count('expected-failure')} expected failures, ${count('STALE')} stale expected failures, ${count('not scored')} not scored (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (problems > 0) {
    const agentLog = agent.log().trim();
    if (agentLog)
      console.log(
        `\nagent log (level ${process.env.MCP_MESH_LOG_LEVEL ?? 'warn'}):\n${agentLog.split('\n').slice(-40).join('\n')}`,
      );
  }
  return problems > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`run-conformance: ${error instanceof Error ? error.message : String(error)}`);
    await Promise.allSettled([...running].map(stopProcess));
    process.exit(1);
  },
);
