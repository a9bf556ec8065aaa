import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { AgentMetadata, PlainServerMetadata } from '@mcp-mesh/runtime';
import { isOpenApiData, loadOpenApi } from '../openapi/load-openapi.js';
import type { RestBinding } from '../openapi/rest-binding.js';
import { checkDependencies } from './check-dependencies.js';
import { checkGeneratedNames } from './check-generated-names.js';
import { checkJsonSchemas } from './check-json-schemas.js';
import { checkUniqueness } from './check-uniqueness.js';
import { compareDiagnostics, type Diagnostic, hasErrors } from './diagnostic.js';
import { findSpecFiles } from './find-spec-files.js';
import type { LocatedAgent } from './located.js';
import { readAgents } from './read-agents.js';
import { checkServerNames, type LocatedServer, readServers } from './read-servers.js';
import { checkAgainstSchema } from './schema-check.js';
import { SourceFile } from './source-file.js';

/** A spec source held in memory: its display path and its text. */
export interface SpecSource {
  readonly path: string;
  readonly text: string;
}

/** The mesh a valid spec describes: every agent, in file order, with the file it came from. */
export interface MeshModel {
  readonly agents: readonly (AgentMetadata & {
    readonly source: string;
    /** Present for an agent an OpenAPI document describes: the REST service behind its tools. */
    readonly rest?: RestBinding;
  })[];
  /** The plain MCP servers of the spec (`servers:`), with the file each came from. */
  readonly servers: readonly (PlainServerMetadata & { readonly source: string })[];
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
  return validateParsed(
    sources.map((source) => new SourceFile(source.path, source.text)),
    [],
    [],
  );
}

// The mesh YAML files, the agents of OpenAPI documents already read, and what reading them
// found: checked together, since names, dependencies and generated names span files.
function validateParsed(
  files: readonly SourceFile[],
  openApiAgents: readonly (LocatedAgent & { readonly rest?: RestBinding })[],
  found: readonly Diagnostic[],
): ValidationResult {
  const diagnostics: Diagnostic[] = [...found];
  const agents: (LocatedAgent & { readonly rest?: RestBinding })[] = [];
  const servers: LocatedServer[] = [];
  for (const file of files) {
    if (file.syntaxDiagnostics.length > 0) {
      diagnostics.push(...file.syntaxDiagnostics);
      continue;
    }
    if (isOpenApiData(file.data)) {
      diagnostics.push(
        file.diagnostic(
          ['openapi'],
          'error',
          'openapi-invalid',
          'an OpenAPI document is read from a file (its $refs are relative to it): validate it by path',
        ),
      );
      continue;
    }
    const schema = checkAgainstSchema(file);
    diagnostics.push(...schema.diagnostics);
    if (schema.rootInvalid) continue;
    const read = readAgents(file, schema.invalidAgents);
    diagnostics.push(...read.diagnostics);
    agents.push(...read.agents);
    const plain = readServers(file);
    diagnostics.push(...plain.diagnostics);
    servers.push(...plain.servers);
  }
  agents.push(...openApiAgents);
  diagnostics.push(
    ...checkUniqueness(agents),
    ...checkJsonSchemas(agents),
    ...checkServerNames(servers),
    ...checkDependencies(agents, servers),
    ...checkGeneratedNames(agents),
  );
  diagnostics.sort(compareDiagnostics);
  const paths = [
    ...files.map((file) => file.path),
    ...openApiAgents.map((agent) => agent.file.path),
  ];
  if (hasErrors(diagnostics)) return { diagnostics, files: paths };
  return {
    diagnostics,
    files: paths,
    model: {
      agents: agents.map(({ file, metadata, rest }) => ({
        ...metadata,
        source: file.path,
        ...(rest === undefined ? {} : { rest }),
      })),
      servers: servers.map(({ file, metadata }) => ({ ...metadata, source: file.path })),
    },
  };
}

/**
 * Reads and validates spec files and directories: mesh YAML files and OpenAPI 3.0/3.1
 * documents (YAML or JSON) (see `findSpecFiles` for which files a
 * directory contributes). Paths in diagnostics are relative to `cwd` when inside it.
 */
export async function validateSpec(
  paths: readonly string[],
  cwd: string = process.cwd(),
): Promise<ValidationResult> {
  const found = findSpecFiles(paths.map((path) => resolve(cwd, path)));
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const openApiAgents: (LocatedAgent & { readonly rest: RestBinding })[] = [];
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
    let file: SourceFile;
    try {
      file = new SourceFile(display(path), readFileSync(path, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      diagnostics.push(atStart(display(path), 'file-unreadable', `cannot read ${path}: ${reason}`));
      continue;
    }
    if (file.syntaxDiagnostics.length === 0 && isOpenApiData(file.data)) {
      const read = await loadOpenApi(path, file, display);
      diagnostics.push(...read.diagnostics);
      if (read.agent) openApiAgents.push(read.agent);
    } else {
      files.push(file);
    }
  }
  return validateParsed(files, openApiAgents, diagnostics);
}

function atStart(file: string, code: Diagnostic['code'], message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', code, message };
}
