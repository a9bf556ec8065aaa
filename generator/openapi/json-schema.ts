import type { JsonSchema } from '@mcp-mesh/runtime';

// Keywords of the OpenAPI Schema Object that JSON Schema 2020-12 does not know or reads otherwise.
const openApiOnly = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator']);

/**
 * An OpenAPI Schema Object as the JSON Schema 2020-12 that tool input and output schemas are:
 * 3.0's `nullable` becomes a `null` type, its boolean `exclusiveMinimum`/`exclusiveMaximum` the
 * numeric form, and keywords only documentation tools read are dropped. 3.1 schemas already are
 * JSON Schema and lose only those keywords. Answers a copy.
 */
export function toJsonSchema(schema: unknown): JsonSchema {
  return convert(schema) as JsonSchema;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (openApiOnly.has(key)) continue;
    if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
      continue;
    }
    // Property names, enum values and defaults are data, not schemas: copied as they are.
    out[key] =
      key === 'enum' || key === 'const' || key === 'default' || key === 'examples'
        ? structuredClone(value)
        : key === 'properties' || key === 'patternProperties' || key === '$defs'
          ? mapValues(value)
          : convert(value);
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (source[flag] === true && typeof source[bound] === 'number') {
      out[flag] = source[bound];
      delete out[bound];
    }
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null'))
      out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

function mapValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([name, schema]) => [
      name,
      convert(schema),
    ]),
  );
}
