import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import type { NewAgent } from '../scaffolding/add-agent.js';
import { UsageError } from '../usage-error.js';
import { printDiagnostics } from './validate.js';

interface ScaffoldFlags {
  spec: string;
  tool: string;
  capability?: string;
  port: string;
  dependsOn?: string[];
}

const namePattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Checks the names and port of a new agent as the command line gave them. */
export function newAgentFromFlags(name: string, flags: ScaffoldFlags): NewAgent {
  const dependsOn = flags.dependsOn ?? [];
  for (const [what, value] of [
    ['agent name', name],
    ['tool name', flags.tool],
    ['capability', flags.capability ?? flags.tool],
    ...dependsOn.map((capability) => ['--depends-on', capability] as const),
  ] as const) {
    if (!namePattern.test(value))
      throw new UsageError(`${what} "${value}" must match ${namePattern.source}`);
  }
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${flags.port} is not a port (0-65535)`);
  return {
    name,
    tool: flags.tool,
    ...(flags.capability === undefined ? {} : { capability: flags.capability }),
    port,
    dependsOn,
  };
}

export function registerScaffold(program: Command): void {
  program
    .command('scaffold')
    .description(
      'add a new agent to a spec (created if missing), then generate its typed code and handler file',
    )
    .argument('<name>', 'agent name (letters, digits, "_" and "-", starting with a letter)')
    .option('--spec <file>', 'spec file to add the agent to', 'mesh.yaml')
    .option('--tool <name>', 'name of its first tool', 'hello')
    .option('--capability <name>', 'capability the tool provides (default: the tool name)')
    .option('--port <port>', 'port the agent serves on (0: any free port)', '0')
    .option(
      '--depends-on <capability>',
      'a capability the tool depends on and its handler calls (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (name: string, flags: ScaffoldFlags) => {
      const agent = newAgentFromFlags(name, flags);
      const specPath = resolve(flags.spec);
      const { addAgent } = await import('../scaffolding/add-agent.js');
      const result = await addAgent(specPath, agent);
      const show = (path: string) => relative(process.cwd(), path);
      if (!result.ok) {
        if (result.diagnostics.length > 0) await printDiagnostics(result.diagnostics, 'text');
        console.error(`nothing changed: ${result.problem}`);
        process.exitCode = exitCodes.failure;
        return;
      }
      console.log(`added agent ${name} to ${show(specPath)}`);
      for (const path of result.written) console.log(`wrote ${show(path)}`);
      console.log(
        `next: meshctl start ${show(specPath)}, then: meshctl call ${flags.tool} '{"name": "Ada"}' — and make ${show(result.handlerPath)} do the real work`,
      );
    });
}
