import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { meshctlVersion } from '../version.js';
import { newAgentFromFlags } from './scaffold.js';
import { printDiagnostics } from './validate.js';

interface InitFlags {
  agent: string;
  tool: string;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'start a new project in a new or empty folder: package.json, tsconfig, a spec with one agent, its generated code and handler, a README and a Dockerfile',
    )
    .argument('[directory]', 'the folder to create (default: the working directory)', '.')
    .option('--agent <name>', 'name of the first agent', 'hello')
    .option('--tool <name>', 'name of its first tool', 'hello')
    .action(async (directory: string, flags: InitFlags) => {
      const agent = newAgentFromFlags(flags.agent, { tool: flags.tool, port: '0', spec: '' });
      const target = resolve(directory);
      const { createProject } = await import('../scaffolding/new-project.js');
      const result = await createProject(target, agent, meshctlVersion);
      if (!result.ok) {
        if (result.diagnostics.length > 0) await printDiagnostics(result.diagnostics, 'text');
        console.error(`nothing written: ${result.problem}`);
        process.exitCode = exitCodes.failure;
        return;
      }
      for (const path of result.written) console.log(`wrote ${relative(process.cwd(), path)}`);
      const enter = relative(process.cwd(), target);
      console.log(
        `next: ${enter === '' ? '' : `cd ${enter} && `}npm install && npm start, then: npx meshctl call ${flags.tool} '{"name": "Ada"}'`,
      );
    });
}
