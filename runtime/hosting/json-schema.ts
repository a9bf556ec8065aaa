import type { jsonSchemaValidator, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { JsonSchema } from '../metadata.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

/**
 * The one JSON Schema engine of an agent process: tool inputs, tool outputs and prompt arguments
 * are compiled on it once, at start-up, and every MCP server instance (one per request on the
 * stateless path) shares it through {@link sharedJsonSchemaValidator}.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: true });
addFormats(ajv);

/** The SDK-facing face of the shared engine (the SDK uses it for elicitation schemas). */
export const sharedJsonSchemaValidator: jsonSchemaValidator = new AjvJsonSchemaValidator(ajv);

/** Checks a value; answers undefined when it is valid, else one line naming every violation. */
export type SchemaCheck = (value: unknown) => string | undefined;

/**
 * Compiles a schema once. `what` names it in errors (`tool "greet" input`); `dataVar` names the
 * value in violations (`input must be object`).
 * @throws Error when the schema itself is not valid JSON Schema.
 */
export function compileJsonSchema(
  schema: JsonSchema,
  what: string,
  dataVar = 'input',
): SchemaCheck {
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new Error(
      `${what} schema cannot be compiled: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (value) =>
    validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar, separator: '; ' });
}

/**
 * A JSON Schema as the SDK's `registerTool`/`registerPrompt` take it (Standard Schema with JSON),
 * whose `validate` accepts everything: `tools/list` advertises the schema verbatim, and the
 * runtime validates itself (with its own messages and metrics) before calling a handler.
 */
export function advertisedSchema(schema: JsonSchema): StandardSchemaWithJSON {
  const json = schema as Record<string, unknown>;
  return {
    '~standard': {
      version: 1,
      vendor: 'mcp-mesh',
      jsonSchema: { input: () => json, output: () => json },
      validate: (value: unknown) => ({ value }),
    },
  };
}
