import type { jsonSchemaValidator, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { JsonSchema } from '../metadata.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

/**
 * The one JSON Schema engine of an agent process: tool inputs, tool outputs and prompt arguments
 * are compiled on it, and every MCP server instance (one per request on the stateless path)
 * shares it through {@link sharedJsonSchemaValidator}. Made, like each compiled schema, on first
 * use: the first compile also compiles the JSON Schema meta-schema and warms ajv's code
 * generator (tens of milliseconds), which an agent's start need not wait for.
 */
let engine: Ajv2020 | undefined;
function jsonSchemaEngine(): Ajv2020 {
  if (!engine) {
    engine = new Ajv2020({ allErrors: true, strict: false, validateSchema: true });
    addFormats(engine);
  }
  return engine;
}

let sdkValidator: AjvJsonSchemaValidator | undefined;
/** The SDK-facing face of the shared engine (the SDK uses it for elicitation schemas). */
export const sharedJsonSchemaValidator: jsonSchemaValidator = {
  getValidator: (schema) => {
    sdkValidator ??= new AjvJsonSchemaValidator(jsonSchemaEngine());
    return sdkValidator.getValidator(schema);
  },
};

/** Checks a value; answers undefined when it is valid, else one line naming every violation. */
export type SchemaCheck = (value: unknown) => string | undefined;

/**
 * Compiles a schema now. `what` names it in errors (`tool "greet" input`); `dataVar` names the
 * value in violations (`input must be object`).
 * @throws Error when the schema itself is not valid JSON Schema.
 */
export function compileJsonSchema(
  schema: JsonSchema,
  what: string,
  dataVar = 'input',
): SchemaCheck {
  const ajv = jsonSchemaEngine();
  let validate: ValidateFunction;
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
 * {@link compileJsonSchema} on the check's first use: what an agent's tools and prompts use, so
 * that no schema is compiled before the agent serves (specs' schemas were checked by `meshctl
 * validate` before it ever ran).
 * @throws Error from the check when the schema itself is not valid JSON Schema.
 */
export function lazyJsonSchemaCheck(
  schema: JsonSchema,
  what: string,
  dataVar = 'input',
): SchemaCheck {
  let check: SchemaCheck | undefined;
  return (value) => {
    check ??= compileJsonSchema(schema, what, dataVar);
    return check(value);
  };
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
