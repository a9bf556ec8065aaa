import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitPrismaClients } from './emit/prisma-client.js';
import { emitPrismaSchemas } from './emit/prisma-schema.js';
import { emitRegistryTypes } from './emit/registry-types.js';
import { planMesh } from './generate-mesh.js';
import { type Output, type WriteReport, writeOutputs } from './outputs.js';
import type { Diagnostic } from './spec/diagnostic.js';
import { hasErrors } from './spec/diagnostic.js';
import { validateSpec } from './spec/validate-spec.js';

/** The project's own root: generator/.. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface GenerateOptions {
  /** Spec files or directories. Empty: generate what the project itself uses. */
  readonly paths: readonly string[];
  /** Generated code folder; default `generated/` beside the first spec path. */
  readonly outDirectory?: string;
  /** Handler files folder; default `handlers/` beside the out directory. */
  readonly handlersDirectory?: string;
  /** Module that generated code imports the runtime from; default `mcp-mesh/runtime`. */
  readonly runtimeImport?: string;
  /** Compare only; change nothing. */
  readonly check: boolean;
  readonly cwd?: string;
}

export interface GenerateResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when the spec had errors and nothing was generated. */
  readonly report?: WriteReport;
}

/**
 * Generates code from specs, or (no paths) everything the project keeps generated: the
 * examples' code, the registry's Prisma schemas and its API types. With `check`, reports drift.
 */
export async function runGenerate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const runtimeImport = options.runtimeImport ?? 'mcp-mesh/runtime';
  const outputs: Output[] = [];
  const owned: string[] = [];
  const diagnostics: Diagnostic[] = [];

  const meshes =
    options.paths.length > 0
      ? [{ paths: options.paths, base: defaultBase(resolve(cwd, options.paths[0] as string)) }]
      : exampleMeshes();
  for (const mesh of meshes) {
    const result = validateSpec(mesh.paths, cwd);
    diagnostics.push(...result.diagnostics);
    if (!result.model) continue;
    const outDirectory = resolve(cwd, options.outDirectory ?? join(mesh.base, 'generated'));
    const handlersDirectory = resolve(
      cwd,
      options.handlersDirectory ?? join(outDirectory, '..', 'handlers'),
    );
    outputs.push(
      ...(await planMesh(result.model, { outDirectory, handlersDirectory, runtimeImport, cwd })),
    );
    owned.push(join(outDirectory, 'agents'), join(outDirectory, 'proxies'));
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  if (options.paths.length === 0) {
    const schemas = emitPrismaSchemas(projectRoot, 'spec/registry.models.yaml');
    for (const schema of schemas) {
      outputs.push({
        path: join(projectRoot, schema.path),
        content: schema.content,
        kind: 'generated',
      });
    }
    outputs.push(...(await emitPrismaClients(projectRoot, schemas)));
    owned.push(join(projectRoot, 'generated/prisma'));
    outputs.push({
      path: join(projectRoot, 'generated/registry-api.ts'),
      content: await emitRegistryTypes(
        join(projectRoot, 'spec/registry.openapi.yaml'),
        '../spec/registry.openapi.yaml',
      ),
      kind: 'generated',
    });
  }
  return {
    diagnostics,
    report: writeOutputs(outputs, { check: options.check, ownedDirectories: owned }),
  };
}

function defaultBase(path: string): string {
  return existsSync(path) && !path.endsWith('.yaml') && !path.endsWith('.yml')
    ? path
    : resolve(path, '..');
}

/** Each folder of examples/ that holds a spec is one mesh. */
function exampleMeshes(): { paths: string[]; base: string }[] {
  const examples = join(projectRoot, 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(examples, entry.name))
    .filter((directory) => readdirSync(directory).some((name) => /(^|\.)mesh\.ya?ml$/.test(name)))
    .sort()
    .map((directory) => ({ paths: [directory], base: directory }));
}
