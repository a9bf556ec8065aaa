import { type Command, InvalidArgumentError } from 'commander';

interface StartFlags {
  registryUrl?: string;
  registryOnly?: boolean;
  agent?: string[];
  env?: Record<string, string>;
  detach?: boolean;
  watch?: boolean;
  json?: boolean;
  trace?: boolean;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'start agents from specs or agent modules, and a local registry when none answers; foreground with prefixed logs (Ctrl-C stops all), or --detach',
    )
    .argument(
      '[paths...]',
      'spec files (mesh YAML or OpenAPI documents) or folders (each agent runs from <spec dir>/handlers/<agent>.ts), or modules whose default export is an agent',
    )
    .option(
      '--registry-url <url>',
      'registry to use, or to start here when none answers (env MCP_MESH_REGISTRY_URL, default http://localhost:8000)',
    )
    .option('--registry-only', 'start just the registry')
    .option('--agent <name>', 'start only this agent of the specs (repeatable)', collect)
    .option(
      '--env <KEY=VALUE>',
      "add a variable to the agents' environment (repeatable)",
      collectEnvironment,
    )
    .option('-d, --detach', 'run in the background; output to log files in the state directory')
    .option('-w, --watch', 'restart an agent when its spec, handler or generated code changes')
    .option('--json', 'with --detach: print what was started as JSON')
    .option(
      '--trace',
      "trace the agents' calls (OpenTelemetry), their spans sent to the registry (OTEL_EXPORTER_OTLP_ENDPOINT, unless set); see meshctl trace",
    )
    .addHelpText(
      'after',
      '\nEverything started is recorded in MCP_MESH_STATE_DIR (default ~/.mcp-mesh); `meshctl stop` stops it from any shell.',
    )
    .action(async (paths: string[], flags: StartFlags) => {
      // Loaded on use: only start needs the process machinery.
      const { startMesh } = await import('../processes/start-mesh.js');
      const { ProcessRecords, stateDirectory } = await import('../processes/state-dir.js');
      const { wantsColor } = await import('../output/style.js');
      const { defaultStopTimeoutMs } = await import('../processes/stop-process.js');
      const registryUrl =
        flags.registryUrl || process.env.MCP_MESH_REGISTRY_URL || 'http://localhost:8000';
      // The registry keeps recent spans (POST /v1/traces): a laptop needs no collector.
      const tracing: Record<string, string> =
        flags.trace && !process.env.OTEL_EXPORTER_OTLP_ENDPOINT
          ? { OTEL_EXPORTER_OTLP_ENDPOINT: registryUrl, OTEL_BSP_SCHEDULE_DELAY: '500' }
          : {};
      process.exitCode = await startMesh({
        paths,
        registryUrl,
        registryOnly: flags.registryOnly ?? false,
        agents: flags.agent ?? [],
        env: { ...tracing, ...flags.env },
        detach: flags.detach ?? false,
        watch: flags.watch ?? false,
        json: flags.json ?? false,
        records: new ProcessRecords(stateDirectory()),
        cwd: process.cwd(),
        output: {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
        },
        colour: !flags.detach && wantsColor(process.stdout),
        stopTimeoutMs: defaultStopTimeoutMs,
        startTimeoutMs: 30_000,
        environment: process.env,
      });
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectEnvironment(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError('expected KEY=VALUE, e.g. --env LOG_LEVEL=debug');
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}
