import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostic.js';
import type { SpecLocator } from './located.js';
import type { SourceFile, SpecPath } from './source-file.js';

const schemaUrl = new URL('../../spec/mesh.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;
let schemaDocument: { $defs: { kwargs: { properties: Record<string, unknown> } } } | undefined;

function kwargNames(): string[] {
  return Object.keys(schemaDocument?.$defs.kwargs.properties ?? {});
}

function meshValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    schemaDocument = JSON.parse(readFileSync(schemaUrl, 'utf8'));
    compiled = ajv.compile(schemaDocument as object);
  }
  return compiled;
}

/** What the schema check found: its diagnostics, and which agents (by index) are invalid. */
export interface SchemaCheck {
  readonly diagnostics: Diagnostic[];
  /** True when the file's top level itself is wrong, so no agent can be read. */
  readonly rootInvalid: boolean;
  readonly invalidAgents: ReadonlySet<number>;
}

/**
 * Checks one parsed file against spec/mesh.schema.json; one diagnostic per mistake. The agents
 * that pass can still be checked further, so that one run reports as much as possible.
 */
export function checkAgainstSchema(file: SourceFile): SchemaCheck {
  const validate = meshValidator();
  if (validate(file.data)) return { diagnostics: [], rootInvalid: false, invalidAgents: new Set() };
  const invalidAgents = new Set<number>();
  let rootInvalid = false;
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    // `if`/`then`/`else` report the branch failure and then the inner error; the inner one says more.
    if (error.keyword === 'if') continue;
    const path = toPath(error.instancePath, file.data);
    if (path[0] === 'agents' && typeof path[1] === 'number') invalidAgents.add(path[1]);
    else rootInvalid = true;
    const diagnostic = describeSchemaError(error, path, file);
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return { diagnostics, rootInvalid, invalidAgents };
}

/** One ajv error as a located diagnostic, worded for a person (suggestions for misspelt keys). */
export function describeSchemaError(
  error: ErrorObject,
  path: SpecPath,
  file: SpecLocator,
): Diagnostic {
  const where = describePath(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const allowed = Object.keys(
        (error.parentSchema as { properties?: Record<string, unknown> }).properties ?? {},
      );
      const suggestion = closest(property, allowed);
      const asKwarg = path.at(-2) === 'tools' ? closest(property, kwargNames()) : undefined;
      const hint = asKwarg
        ? `; resilience settings go under kwargs: (did you mean kwargs.${asKwarg}?)`
        : suggestion
          ? `; did you mean "${suggestion}"?`
          : `; allowed: ${allowed.join(', ')}`;
      return file.diagnostic(
        [...path, property],
        'error',
        'schema',
        `unknown property "${property}" in ${where}${hint}`,
        {
          atKey: true,
        },
      );
    }
    case 'required':
      return file.diagnostic(
        path,
        'error',
        'schema',
        `${where} is missing required property "${String(params.missingProperty)}"`,
      );
    case 'type': {
      const quoteHint =
        String(params.type) === 'string' && typeof error.data === 'number'
          ? ` (put it in quotes)`
          : isAlternative(path) && Array.isArray(error.data)
            ? ' (alternatives do not nest: list capability names or dependency objects)'
            : '';
      return file.diagnostic(
        path,
        'error',
        'schema',
        `${where} must be ${article(String(params.type))}${quoteHint}`,
      );
    }
    case 'pattern':
      return file.diagnostic(
        path,
        'error',
        'schema',
        `${where} must match ${String(params.pattern)} (letters, digits, "_" and "-", starting with a letter)`,
      );
    case 'const':
      return file.diagnostic(
        path,
        'error',
        'schema',
        `${where} must be ${JSON.stringify(params.allowedValue)}`,
      );
    case 'uniqueItems':
      return file.diagnostic(
        path,
        'error',
        'schema',
        `${where} lists the same value twice (items ${String(params.j)} and ${String(params.i)})`,
      );
    default:
      return file.diagnostic(path, 'error', 'schema', `${where} ${error.message ?? 'is invalid'}`);
  }
}

/** `…dependencies[i][j]`: one alternative of a dependency position. */
function isAlternative(path: SpecPath): boolean {
  return (
    path.at(-3) === 'dependencies' &&
    typeof path.at(-2) === 'number' &&
    typeof path.at(-1) === 'number'
  );
}

/** An ajv instance path (a JSON Pointer) as a path into `data`: array indexes become numbers. */
export function toPath(instancePath: string, data: unknown): SpecPath {
  if (instancePath === '') return [];
  const path: (string | number)[] = [];
  let cursor: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cursor)) {
      const index = Number(segment);
      path.push(index);
      cursor = cursor[index];
    } else {
      path.push(segment);
      cursor =
        cursor !== null && typeof cursor === 'object'
          ? (cursor as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

/** `agents[0].tools[2].kwargs.timeout`, or `the spec` for the root. */
export function describePath(path: SpecPath): string {
  if (path.length === 0) return 'the spec';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function article(type: string): string {
  const names = type
    .split(',')
    .map((name) =>
      name === 'array' || name === 'object' || name === 'integer' ? `an ${name}` : `a ${name}`,
    );
  return names.join(' or ');
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
