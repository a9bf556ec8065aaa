/**
 * The closed set of problems the spec validator reports. Each code is documented in docs/spec.md
 * (a test keeps that list and this union in step).
 */
export const diagnosticCodes = [
  'file-unreadable',
  'no-spec-files',
  'yaml-syntax',
  'schema',
  'duplicate-agent',
  'duplicate-tool',
  'duplicate-resource',
  'duplicate-prompt',
  'duplicate-parameter',
  'name-collision',
  'invalid-version',
  'invalid-version-range',
  'invalid-duration',
  'invalid-size',
  'invalid-json-schema',
  'invalid-resource',
  'invalid-dependency',
  'dependency-cycle',
  'unprovided-dependency',
  'openapi-invalid',
  'unresolved-ref',
  'missing-operation-id',
  'unsupported-parameter',
  'unsupported-media-type',
  'parameter-collision',
] as const;

export type DiagnosticCode = (typeof diagnosticCodes)[number];

export type Severity = 'error' | 'warning';

/** One problem found in a spec, located like a compiler error. */
export interface Diagnostic {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** The source line the problem is on, when there is one. */
  excerpt?: string;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  return 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
