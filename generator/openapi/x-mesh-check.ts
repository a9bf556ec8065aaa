import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../spec/diagnostic.js';
import type { SpecLocator } from '../spec/located.js';
import { describeSchemaError, toPath } from '../spec/schema-check.js';
import type { SpecPath } from '../spec/source-file.js';

const meshSchemaUrl = new URL('../../spec/mesh.schema.json', import.meta.url);
const extensionSchemaUrl = new URL('../../spec/x-mesh.schema.json', import.meta.url);

let validators: { document: ValidateFunction; operation: ValidateFunction } | undefined;

function xMeshValidators(): { document: ValidateFunction; operation: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    ajv.addSchema(JSON.parse(readFileSync(meshSchemaUrl, 'utf8')));
    ajv.addSchema(JSON.parse(readFileSync(extensionSchemaUrl, 'utf8')));
    const id = 'https://mcp-mesh.dev/schemas/x-mesh.schema.json';
    validators = {
      document: ajv.getSchema(`${id}#/$defs/document`) as ValidateFunction,
      operation: ajv.getSchema(`${id}#/$defs/operation`) as ValidateFunction,
    };
  }
  return validators;
}

/**
 * Checks an `x-mesh` block against spec/x-mesh.schema.json: unknown keys (with the nearest
 * known one suggested) and mistyped values, each located in the document.
 */
export function checkXMesh(
  value: unknown,
  kind: 'document' | 'operation',
  at: SpecPath,
  locator: SpecLocator,
): Diagnostic[] {
  const validate = xMeshValidators()[kind];
  if (validate(value)) return [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if') continue;
    const diagnostic = describeSchemaError(
      error,
      [...at, ...toPath(error.instancePath, value)],
      locator,
    );
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}
