/**
 * The spec validator and the light helpers meshctl uses on every command. Generating code
 * (ts-morph, json-schema-to-typescript) is `@mcp-mesh/generator/generate`, loaded only when used.
 * @module @mcp-mesh/generator
 */
export { agentNames } from './emit/generated-names.js';
export { kebabCase, propertyKey } from './emit/names.js';
export type { WriteReport } from './outputs.js';
export { type ReportLines, reportLines } from './report-lines.js';
export {
  type Diagnostic,
  type DiagnosticCode,
  diagnosticCodes,
  hasErrors,
  type Severity,
} from './spec/diagnostic.js';
export {
  formatDiagnosticsAsJson,
  formatDiagnosticsAsText,
  formatDiagnosticsForGitHub,
} from './spec/format-diagnostics.js';
export { camelCase as dependencyParameterName } from './spec/read-agents.js';
export {
  type MeshModel,
  type SpecSource,
  type ValidationResult,
  validateSources,
  validateSpec,
} from './spec/validate-spec.js';
