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
  const meshes = [
    ...exampleMeshes().map((directory) => ({ paths: [directory] })),
    ...publicOpenApiMeshes,
  ];
  for (const mesh of meshes) {
    const plan = await planGenerate({ ...mesh, cwd: projectRoot });
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

// Two public OpenAPI documents that nobody here wrote (the Petstore 3.0 and 3.1 documents of
// @readme/oas-examples), generated where test/e2e/openapi runs them. One agent per document:
// both are titled "Swagger Petstore", so each is a mesh of its own; the YAML agent that
// depends on both is generated beside the 3.0 one.
const publicOpenApiMeshes = [
  {
    paths: [
      'node_modules/@readme/oas-examples/3.0/json/petstore-expanded.json',
      'test/e2e/openapi/pet-reporter.mesh.yaml',
    ],
    outDirectory: 'test/e2e/openapi/v30/generated',
    handlersDirectory: 'test/e2e/openapi/v30/handlers',
  },
  {
    paths: ['node_modules/@readme/oas-examples/3.1/yaml/petstore.yaml'],
    outDirectory: 'test/e2e/openapi/v31/generated',
    handlersDirectory: 'test/e2e/openapi/v31/handlers',
  },
];

/** Each folder of examples/ that holds a spec is one mesh. */
function exampleMeshes(): string[] {
  const examples = join(projectRoot, 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(examples, entry.name))
    .filter((directory) => readdirSync(directory).some((name) => /(^|\.)mesh\.ya?ml$/.test(name)))
    .sort();
}
