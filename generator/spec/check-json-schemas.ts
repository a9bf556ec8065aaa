import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostic.js';
import { type LocatedAgent, toolPath } from './located.js';
import { toPath } from './schema-check.js';
import type { SpecPath } from './source-file.js';

// One instance for all checks: compiling the meta-schema is the expensive part.
const ajv = new Ajv2020({
  allErrors: false,
  strict: false,
  validateSchema: true,
  addUsedSchema: false,
});

/**
 * Every tool's input and output must be a usable JSON Schema: valid against the 2020-12
 * meta-schema, its `$ref`s resolvable inside the schema, its patterns valid regular
 * expressions. MCP also requires the input to describe an object.
 */
export function checkJsonSchemas(agents: readonly LocatedAgent[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const agent of agents) {
    agent.metadata.tools.forEach((tool, index) => {
      const raw = (
        agent.file.data as { agents: { tools: { input?: unknown; output?: unknown }[] }[] }
      ).agents[agent.path[1] as number]?.tools[index];
      for (const key of ['input', 'output'] as const) {
        const schema = raw?.[key];
        if (schema === undefined) continue;
        const problem = schemaProblem(schema as object);
        const path = [...toolPath(agent, index), key];
        if (problem) {
          diagnostics.push(
            agent.file.diagnostic(
              [...path, ...problem.at],
              'error',
              'invalid-json-schema',
              `${key} of tool "${tool.name}" is not a valid JSON Schema: ${problem.message}`,
            ),
          );
        } else if (key === 'input' && (schema as { type?: unknown }).type !== 'object') {
          diagnostics.push(
            agent.file.diagnostic(
              [...path, 'type'],
              'error',
              'invalid-json-schema',
              `input of tool "${tool.name}" must describe an object (type: object): MCP passes tool arguments as one object`,
            ),
          );
        }
      }
    });
  }
  return diagnostics;
}

/** What is wrong with a schema, and where inside it (a path relative to the schema). */
function schemaProblem(schema: object): { at: SpecPath; message: string } | undefined {
  try {
    if (!ajv.validateSchema(schema)) {
      const first = ajv.errors?.[0];
      if (!first) return { at: [], message: 'invalid' };
      const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
      const message = `${first.instancePath || '/'} ${first.message ?? 'is invalid'}${allowed ? `: ${allowed.join(', ')}` : ''}`;
      return { at: toPath(first.instancePath, schema), message };
    }
    return referenceOrPatternProblem(schema, schema, []);
  } catch (error) {
    return { at: [], message: error instanceof Error ? error.message : String(error) };
  }
}

// Compiling every schema with ajv would find these too, at ~1 ms a schema; walking it is
// enough, since the meta-schema has already checked the rest of its shape.
function referenceOrPatternProblem(
  root: object,
  node: unknown,
  at: SpecPath,
): { at: SpecPath; message: string } | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const problem = referenceOrPatternProblem(root, node[index], [...at, index]);
      if (problem) return problem;
    }
    return undefined;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string' && !resolvesLocally(root, record.$ref)) {
    return {
      at: [...at, '$ref'],
      message: `reference "${record.$ref}" does not resolve inside the schema (only local references like #/$defs/name are supported)`,
    };
  }
  if (typeof record.pattern === 'string' && !isRegularExpression(record.pattern)) {
    return {
      at: [...at, 'pattern'],
      message: `pattern "${record.pattern}" is not a valid regular expression`,
    };
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
    if (key === 'patternProperties' && value !== null && typeof value === 'object') {
      const invalid = Object.keys(value).find((pattern) => !isRegularExpression(pattern));
      if (invalid !== undefined)
        return {
          at: [...at, key, invalid],
          message: `pattern "${invalid}" is not a valid regular expression`,
        };
    }
    const problem = referenceOrPatternProblem(root, value, [...at, key]);
    if (problem) return problem;
  }
  return undefined;
}

function resolvesLocally(root: object, reference: string): boolean {
  if (reference === '#') return true;
  if (!reference.startsWith('#/'))
    return reference.startsWith('#') && hasAnchor(root, reference.slice(1));
  let cursor: unknown = root;
  for (const raw of reference.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cursor === null || typeof cursor !== 'object' || !(segment in cursor)) return false;
    cursor = (cursor as Record<string, unknown>)[segment];
  }
  return cursor !== undefined;
}

function hasAnchor(node: unknown, anchor: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  if ((node as Record<string, unknown>).$anchor === anchor) return true;
  return Object.values(node).some((value) => hasAnchor(value, anchor));
}

function isRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
