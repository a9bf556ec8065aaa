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
 * Every tool's input and output must be a JSON Schema that compiles (meta-schema valid,
 * references resolvable). MCP also requires the input to describe an object.
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
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return { at: [], message: error instanceof Error ? error.message : String(error) };
  }
}
