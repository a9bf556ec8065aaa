import { MeshError } from '../errors/mesh-error.js';
import { compileJsonSchema, type SchemaCheck } from '../hosting/json-schema.js';
import type { JsonSchema } from '../metadata.js';

/** Checks a remote result (the value a typed proxy returns) before the caller sees it. */
export type ResultCheck = (value: unknown, provider: string) => void;

/**
 * The output schema of a capability's provider, as a check (compiled on its first use) that
 * throws MeshError `invalid_result` for a value that does not match it: a typed proxy never
 * hands its caller a string typed as an object. A schema that does not compile checks nothing
 * (the generator validated the spec's schemas; this only guards hand-written defaults).
 */
export function compileResultCheck(
  capability: string,
  schema: JsonSchema | undefined,
): ResultCheck | undefined {
  if (schema === undefined) return undefined;
  // Undefined until the first result; null once the schema turned out not to compile.
  let check: SchemaCheck | null | undefined;
  return (value, provider) => {
    if (check === undefined) {
      try {
        check = compileJsonSchema(schema, `capability "${capability}" output`, 'result');
      } catch {
        check = null;
      }
    }
    const problem = check?.(value);
    if (problem === undefined) return;
    throw new MeshError(
      'invalid_result',
      `${provider} returned a result that does not match the output schema of ${capability} (${problem}); the provider and this agent's spec disagree: update the spec and regenerate, or fix the provider`,
      { capability, provider },
    );
  };
}
