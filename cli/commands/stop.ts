import { type Command, InvalidArgumentError } from 'commander';

interface StopFlags {
  timeout: number;
  json?: boolean;
}

export function registerStop(program: Command): void {
  program
    .command('stop')
    .description(
      'stop what `meshctl start` started, from any shell: agents by name (every replica), one replica as <agent>@<port>, `registry`, or (no names) everything — SIGTERM, then SIGKILL after --timeout',
    )
    .argument(
      '[names...]',
      'agent names (every replica), <agent>@<port> (one replica) or `registry`; none: everything recorded',
    )
    .option(
      '--timeout <seconds>',
      'how long each process gets to exit after SIGTERM before SIGKILL',
      seconds,
      15,
    )
    .option('--json', 'print what was stopped as JSON')
    .addHelpText('after', '\nProcesses are recorded in MCP_MESH_STATE_DIR (default ~/.mcp-mesh).')
    .action(async (names: string[], flags: StopFlags) => {
      const { stopRecorded } = await import('../processes/stop-recorded.js');
      const { ProcessRecords, stateDirectory } = await import('../processes/state-dir.js');
      process.exitCode = await stopRecorded({
        records: new ProcessRecords(stateDirectory()),
        names,
        timeoutMs: flags.timeout * 1000,
        json: flags.json ?? false,
        output: {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
        },
      });
    });
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a number of seconds, e.g. --timeout 5');
  return parsed;
}
