/**
 * Code generation from validated specs: typed agent stubs, capability proxies and handler
 * scaffolds. Heavier than the validator (ts-morph), so it is a subpath of its own.
 * @module @mcp-mesh/generator/generate
 */
export type { Output, WriteReport } from './outputs.js';
export {
  defaultRuntimeImport,
  type GenerateOptions,
  type GeneratePlan,
  type GenerateResult,
  planGenerate,
  runGenerate,
} from './run-generate.js';
