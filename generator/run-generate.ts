import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { planMesh } from './generate-mesh.js';
import { type Output, type WriteReport, writeOutputs } from './outputs.js';
import type { Diagnostic } from './spec/diagnostic.js';
import { hasErrors } from './spec/diagnostic.js';
import { validateSpec } from './spec/validate-spec.js';

/** The runtime package that generated code imports unless told otherwise. */
export const defaultRuntimeImport = '@mcp-mesh/runtime';

export interface GenerateOptions {
  /** Spec files or directories; empty means the working directory. */
  readonly paths: readonly string[];
  /** Generated code folder; default `generated/` beside the first spec path. */
  readonly outDirectory?: string;
  /** Handler files folder; default `handlers/` beside the out directory. */
  readonly handlersDirectory?: string;
  /** Module that generated code imports the runtime from; default `@mcp-mesh/runtime`. */
  readonly runtimeImport?: string;
  /** Compare only; change nothing. */
  readonly check: boolean;
  readonly cwd?: string;
}

export interface GenerateResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when the spec had errors and nothing was generated. */
  readonly report?: WriteReport;
  /**
   * Packages the generated code imports besides the runtime that do not resolve from where it
   * is written (`openapi-fetch`, for agents generated from OpenAPI documents): install them.
   */
  readonly missingPackages?: readonly MissingPackage[];
}

/** A package generated code needs that the project does not have. */
export interface MissingPackage {
  readonly name: string;
  /** The generated files that import it. */
  readonly importedBy: readonly string[];
}

/** What generated code may import besides the runtime, each needed only by some specs. */
const optionalPackages = ['openapi-fetch'] as const;

/** What one generation would write, before anything is written. */
export interface GeneratePlan {
  readonly diagnostics: readonly Diagnostic[];
  readonly outputs: readonly Output[];
  /** Folders whose generated files all come from this plan (others there are stale). */
  readonly ownedDirectories: readonly string[];
}

/**
 * Generates typed code from specs: an agent stub per agent, a proxy per capability used as a
 * dependency, and handler scaffolds written once. With `check`, changes nothing and reports drift.
 */
export async function runGenerate(options: GenerateOptions): Promise<GenerateResult> {
  const plan = await planGenerate(options);
  if (hasErrors(plan.diagnostics)) return { diagnostics: plan.diagnostics };
  return {
    diagnostics: plan.diagnostics,
    report: writeOutputs(plan.outputs, {
      check: options.check,
      ownedDirectories: plan.ownedDirectories,
    }),
    missingPackages: missingPackages(plan.outputs),
  };
}

function missingPackages(outputs: readonly Output[]): MissingPackage[] {
  const missing: MissingPackage[] = [];
  for (const name of optionalPackages) {
    const importers = outputs.filter((output) => output.content.includes(`from '${name}'`));
    const unresolved = importers.filter((output) => !resolvesFrom(output.path, name));
    if (unresolved.length > 0)
      missing.push({ name, importedBy: unresolved.map((output) => output.path) });
  }
  return missing;
}

function resolvesFrom(file: string, name: string): boolean {
  try {
    createRequire(file).resolve(name);
    return true;
  } catch (error) {
    // Found, but with no `require` entry: installed all the same.
    return (error as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

/** Validates the specs and computes the outputs of `runGenerate` without writing any. */
export async function planGenerate(options: Omit<GenerateOptions, 'check'>): Promise<GeneratePlan> {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const result = await validateSpec(paths, cwd);
  if (!result.model) return { diagnostics: result.diagnostics, outputs: [], ownedDirectories: [] };
  const base = defaultBase(resolve(cwd, paths[0] as string));
  const outDirectory = resolve(cwd, options.outDirectory ?? join(base, 'generated'));
  const handlersDirectory = resolve(
    cwd,
    options.handlersDirectory ?? join(outDirectory, '..', 'handlers'),
  );
  const outputs = await planMesh(result.model, {
    outDirectory,
    handlersDirectory,
    runtimeImport: options.runtimeImport ?? defaultRuntimeImport,
    cwd,
  });
  return {
    diagnostics: result.diagnostics,
    outputs,
    ownedDirectories: [
      join(outDirectory, 'agents'),
      join(outDirectory, 'proxies'),
      join(outDirectory, 'rest'),
    ],
  };
}

function defaultBase(path: string): string {
  return existsSync(path) && !/\.(ya?ml|json)$/.test(path) ? path : resolve(path, '..');
}
