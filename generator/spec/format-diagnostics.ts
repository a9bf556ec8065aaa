import type { Diagnostic } from './diagnostic.js';

/** Compiler-style text: `file:line:col: severity: message [code]`, the source line and a caret. */
export function formatDiagnosticsAsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatOne).join('\n');
}

function formatOne(diagnostic: Diagnostic): string {
  const head = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.code}]`;
  if (diagnostic.excerpt === undefined) return head;
  const gutter = String(diagnostic.line).padStart(5);
  const blank = ' '.repeat(gutter.length);
  const caretIndent = diagnostic.excerpt.slice(0, diagnostic.column - 1).replace(/[^\t]/g, ' ');
  return `${head}\n${gutter} | ${diagnostic.excerpt}\n${blank} | ${caretIndent}^`;
}

/** GitHub Actions workflow commands, so a CI run marks the offending spec lines. */
export function formatDiagnosticsForGitHub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map(
      (diagnostic) =>
        `::${diagnostic.severity} file=${escapeProperty(diagnostic.file)},line=${diagnostic.line},col=${diagnostic.column},title=${diagnostic.code}::${escapeData(diagnostic.message)}`,
    )
    .join('\n');
}

// Escaping rules of GitHub's workflow commands: data escapes %, CR, LF; properties also : and ,.
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Diagnostics as a JSON document for scripts. */
export function formatDiagnosticsAsJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  return JSON.stringify({ errors, warnings: diagnostics.length - errors, diagnostics }, null, 2);
}
