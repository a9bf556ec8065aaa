import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const documentUrl = new URL('../../spec/registry.openapi.yaml', import.meta.url);

let cached: Record<string, unknown> | undefined;

/** The registry's OpenAPI document (spec/registry.openapi.yaml), parsed once. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= parse(readFileSync(documentUrl, 'utf8')) as Record<string, unknown>;
  return cached;
}

/**
 * The document's component schemas as fastify shared schemas: each gets `$id` = its name and
 * every `#/components/schemas/X` reference becomes `X#`, so routes validate request bodies
 * against the very schemas the document publishes.
 */
export function sharedSchemas(): Record<string, unknown>[] {
  const components = (openApiDocument().components as { schemas: Record<string, unknown> }).schemas;
  return Object.entries(components).map(([name, schema]) => ({
    ...(rewriteReferences(schema) as object),
    $id: name,
  }));
}

function rewriteReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteReferences);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/components/schemas/')) {
      result[key] = `${item.slice('#/components/schemas/'.length)}#`;
    } else if (!key.startsWith('x-')) {
      result[key] = rewriteReferences(item);
    }
  }
  return result;
}
