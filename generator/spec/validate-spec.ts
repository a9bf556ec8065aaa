import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { AgentMetadata } from '@mcp-mesh/runtime';
import { checkDependencies } from './check-dependencies.js';
import { checkGeneratedNames } from './check-generated-names.js';
import { checkJsonSchemas } from './check-json-schemas.js';
import { checkUniqueness } from './check-uniqueness.js';
import { compareDiagnostics, type Diagnostic, hasErrors } from './diagnostic.js';
import { findSpecFiles } from './find-spec-files.js';
import type { LocatedAgent } from './located.js';
import { readAgents } from './read-agents.js';
import { checkAgainstSchema } from './schema-check.js';
import { SourceFile } from './source-file.js';

/** A spec source held in memory: its display path and its text. */
export interface SpecSource {
  readonly path: string;
  readonly text: string;
}

/** The mesh a valid spec describes: every agent, in file order, with the file it came from. */
export interface MeshModel {
  readonly agents: readonly (AgentMetadata & { readonly source: string })[];
}

export interface ValidationResult {
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present when there is no error (warnings allowed). */
  readonly model?: MeshModel;
  /** The spec files that were read. */
  readonly files: readonly string[];
}

/**
 * Validates spec sources already in memory. Never throws: every problem, including YAML syntax,
 * becomes a diagnostic.
 */
export function validateSources(sources: readonly SpecSource[]): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const agents: LocatedAgent[] = [];
  for (const source of sources) {
    const file = new SourceFile(source.path, source.text);
    if (file.syntaxDiagnostics.length > 0) {
      diagnostics.push(...file.syntaxDiagnostics);
      continue;
    }
    const schema = checkAgainstSchema(file);
    diagnostics.push(...schema.diagnostics);
    if (schema.rootInvalid) continue;
    const read = readAgents(file, schema.invalidAgents);
    diagnostics.push(...read.diagnostics);
    agents.push(...read.agents);
  }
  diagnostics.push(
    ...checkUniqueness(agents),
    ...checkJsonSchemas(agents),
    ...checkDependencies(agents),
    ...checkGeneratedNames(agents),
  );
  diagnostics.sort(compareDiagnostics);
  const files = sources.map((source) => source.path);
  if (hasErrors(diagnostics)) return { diagnostics, files };
  return {
    diagnostics,
    files,
    model: { agents: agents.map(({ file, metadata }) => ({ ...metadata, source: file.path })) },
  };
}

/**
 * Reads and validates spec files and directories (see `findSpecFiles` for which files a
 * directory contributes). Paths in diagnostics are relative to `cwd` when inside it.
 */
export function validateSpec(
  paths: readonly string[],
  cwd: string = process.cwd(),
): ValidationResult {
  const found = findSpecFiles(paths.map((path) => resolve(cwd, path)));
  const diagnostics: Diagnostic[] = [];
  const sources: SpecSource[] = [];
  const display = (path: string) => {
    const shown = relative(cwd, path);
    if (shown === '') return '.';
    return shown.startsWith('..') || isAbsolute(shown) ? path : shown;
  };
  for (const path of found.missing) {
    diagnostics.push(
      atStart(display(path), 'file-unreadable', `cannot read ${path}: no such file or directory`),
    );
  }
  for (const path of found.empty) {
    diagnostics.push(
      atStart(
        display(path),
        'no-spec-files',
        `no spec files in ${path}; a directory contributes files named mesh.yaml or *.mesh.yaml`,
      ),
    );
  }
  if (paths.length === 0) {
    diagnostics.push(
      atStart('.', 'no-spec-files', 'no spec paths given; pass spec files or directories'),
    );
  }
  for (const path of found.files) {
    try {
      sources.push({ path: display(path), text: readFileSync(path, 'utf8') });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      diagnostics.push(atStart(display(path), 'file-unreadable', `cannot read ${path}: ${reason}`));
    }
  }
  const result = validateSources(sources);
  const all = [...diagnostics, ...result.diagnostics].sort(compareDiagnostics);
  if (hasErrors(all)) return { diagnostics: all, files: result.files };
  return { ...result, diagnostics: all };
}

function atStart(file: string, code: Diagnostic['code'], message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', code, message };
}
