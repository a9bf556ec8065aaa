import type { Diagnostic } from '@mcp-mesh/generator';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { chooseFormat, type OutputFormat } from '../output-format.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check spec files against the spec format; report every problem as file:line:col')
    .argument(
      '[paths...]',
      'spec files or directories (directories contribute mesh.yaml, *.mesh.yaml and *.openapi.yaml|json)',
      ['.'],
    )
    .option('--json', 'print diagnostics as JSON (same as --format json)')
    .option('--format <format>', 'text, json or github (GitHub Actions annotations)', 'text')
    .action(async (paths: string[], options: { json?: boolean; format: string }) => {
      const format = chooseFormat(options);
      const { hasErrors, validateSpec } = await import('@mcp-mesh/generator');
      const result = await validateSpec(paths);
      await printDiagnostics(result.diagnostics, format);
      if (format === 'text') {
        const errors = result.diagnostics.filter(
          (diagnostic) => diagnostic.severity === 'error',
        ).length;
        const warnings = result.diagnostics.length - errors;
        const summary = `${result.files.length} spec file(s), ${result.model?.agents.length ?? 0} agent(s): ${errors} error(s), ${warnings} warning(s)`;
        (errors > 0 ? console.error : console.log)(summary);
      }
      process.exitCode = hasErrors(result.diagnostics) ? exitCodes.failure : exitCodes.ok;
    });
}

/** Prints diagnostics in the chosen format: text to stderr, machine formats to stdout. */
export async function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: OutputFormat,
): Promise<void> {
  const { formatDiagnosticsAsJson, formatDiagnosticsAsText, formatDiagnosticsForGitHub } =
    await import('@mcp-mesh/generator');
  if (format === 'json') console.log(formatDiagnosticsAsJson(diagnostics));
  else if (diagnostics.length === 0) return;
  else if (format === 'github') console.log(formatDiagnosticsForGitHub(diagnostics));
  else console.error(formatDiagnosticsAsText(diagnostics));
}
