import { relative } from 'node:path';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { chooseFormat } from '../output-format.js';
import { printDiagnostics } from './validate.js';

interface GenerateFlags {
  out?: string;
  handlers?: string;
  runtimeImport?: string;
  check?: boolean;
  json?: boolean;
  format: string;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'generate typed agent stubs, proxies and handler scaffolds from specs (no paths: the specs in the working directory)',
    )
    .argument('[paths...]', 'spec files (mesh YAML or OpenAPI 3.0/3.1 documents) or directories')
    .option('--out <dir>', 'folder for generated code (default: generated/ beside the spec)')
    .option(
      '--handlers <dir>',
      'folder for handler scaffolds, written once (default: handlers/ beside --out)',
    )
    .option(
      '--runtime-import <module>',
      'module the generated code imports the runtime from',
      '@mcp-mesh/runtime',
    )
    .option('--check', 'change nothing; exit 1 and list the files that would change')
    .option('--json', 'print diagnostics as JSON')
    .option('--format <format>', 'diagnostics as text, json or github', 'text')
    .action(async (paths: string[], flags: GenerateFlags) => {
      const format = chooseFormat(flags);
      // Loaded on use: the generator pulls in ts-morph and friends, which other commands never need.
      const [{ runGenerate }, { hasErrors, reportLines }] = await Promise.all([
        import('@mcp-mesh/generator/generate'),
        import('@mcp-mesh/generator'),
      ]);
      const result = await runGenerate({
        paths,
        check: flags.check ?? false,
        ...(flags.out === undefined ? {} : { outDirectory: flags.out }),
        ...(flags.handlers === undefined ? {} : { handlersDirectory: flags.handlers }),
        ...(flags.runtimeImport === undefined ? {} : { runtimeImport: flags.runtimeImport }),
      });
      await printDiagnostics(result.diagnostics, format);
      if (!result.report || hasErrors(result.diagnostics)) {
        console.error('nothing generated: fix the errors above first');
        process.exitCode = exitCodes.failure;
        return;
      }
      const summary = reportLines(result.report, {
        check: flags.check ?? false,
        rerun: 'meshctl generate',
      });
      for (const line of summary.lines) (summary.failed ? console.error : console.log)(line);
      for (const missing of result.missingPackages ?? []) {
        const files = missing.importedBy.map((file) => relative(process.cwd(), file)).join(', ');
        console.error(
          `note: ${files} import${missing.importedBy.length === 1 ? 's' : ''} ${missing.name}, which this project does not have: run \`npm install ${missing.name}\``,
        );
      }
      if (summary.failed) process.exitCode = exitCodes.failure;
    });
}
