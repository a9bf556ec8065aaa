import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerRegistry } from './commands/registry.js';
import { registerValidate } from './commands/validate.js';

/** Builds the meshctl program; separate from running it so tests and the docs can read it. */
export function buildProgram(): Command {
  const program = new Command('meshctl')
    .description('Run, inspect and generate MCP Mesh agents.')
    .version('0.1.0')
    .showHelpAfterError('(run meshctl --help for the list of commands)')
    .exitOverride();
  registerValidate(program);
  registerGenerate(program);
  registerRegistry(program);
  return program;
}
