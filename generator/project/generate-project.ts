import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Output, writeOutputs } from '../outputs.js';
import { type GenerateResult, planGenerate } from '../run-generate.js';
import { type Diagnostic, hasErrors } from '../spec/diagnostic.js';
import { emitPrismaClients } from './prisma-client.js';
import { emitPrismaSchemas } from './prisma-schema.js';
import { emitRegistryTypes } from './registry-types.js';

/** This repository's root: generator/project/../.. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Everything this repository keeps generated: the examples' code, the registry's Prisma schemas
 * and clients, and the registry's API types. Not part of the generator package: users generate
 * their own specs with `meshctl generate`.
 */
export async function generateProject(options: {
  readonly check: boolean;
}): Promise<GenerateResult> {
  const outputs: Output[] = [];
  const owned: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const directory of exampleMeshes()) {
    const plan = await planGenerate({ paths: [directory], cwd: projectRoot });
    diagnostics.push(...plan.diagnostics);
    outputs.push(...plan.outputs);
    owned.push(...plan.ownedDirectories);
  }
  if (hasErrors(diagnostics)) return { diagnostics };

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
  return {
    diagnostics,
    report: writeOutputs(outputs, { check: options.check, ownedDirectories: owned }),
  };
}

/** Each folder of examples/ that holds a spec is one mesh. */
function exampleMeshes(): string[] {
  const examples = join(projectRoot, 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(examples, entry.name))
    .filter((directory) => readdirSync(directory).some((name) => /(^|\.)mesh\.ya?ml$/.test(name)))
    .sort();
}
