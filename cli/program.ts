import { Command } from 'commander';
import { registerCall } from './commands/call.js';
import { registerEvents } from './commands/events.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerList } from './commands/list.js';
import { registerRegistry } from './commands/registry.js';
import { registerScaffold } from './commands/scaffold.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';
import { registerStop } from './commands/stop.js';
import { registerTrace } from './commands/trace.js';
import { registerTrust } from './commands/trust.js';
import { registerValidate } from './commands/validate.js';
import { meshctlVersion } from './version.js';

/** Builds the meshctl program; separate from running it so tests and the docs can read it. */
export function buildProgram(): Command {
  const program = new Command('meshctl')
    .description('Run, inspect and generate MCP Mesh agents.')
    .version(meshctlVersion)
    .showHelpAfterError('(run meshctl --help for the list of commands)')
    .exitOverride();
  registerInit(program);
  registerValidate(program);
  registerGenerate(program);
  registerRegistry(program);
  registerList(program);
  registerStatus(program);
  registerEvents(program);
  registerCall(program);
  registerTrace(program);
  registerStart(program);
  registerStop(program);
  registerScaffold(program);
  registerTrust(program);
  return program;
}
