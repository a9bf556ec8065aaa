import { CommanderError } from 'commander';
import { exitCodes } from './exit-codes.js';
import { buildProgram } from './program.js';
import { trustConfiguredCas } from './trust/registry-access.js';
import { UsageError } from './usage-error.js';

async function main(argv: readonly string[]): Promise<void> {
  try {
    await trustConfiguredCas();
    await buildProgram().parseAsync(argv as string[]);
  } catch (error) {
    // Commander has already printed its own errors; ours still need saying.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
      return;
    }
    if (error instanceof UsageError) {
      console.error(`meshctl: ${error.message} (run meshctl --help)`);
      process.exitCode = exitCodes.usage;
      return;
    }
    console.error(`meshctl: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = exitCodes.failure;
  }
}

await main(process.argv);
