import type { JsonSchema } from '@mcp-mesh/runtime';
import type { DiagnosticCode, Severity } from '../spec/diagnostic.js';
import type { SpecPath } from '../spec/source-file.js';
import { toJsonSchema } from './json-schema.js';
import type { RestOperation, RestOutput, RestParameter } from './rest-binding.js';

/** Reports a problem at a path into the dereferenced OpenAPI document. */
export type OpenApiReport = (
  path: SpecPath,
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  atKey?: boolean,
) => void;

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  schema?: unknown;
  content?: Record<string, unknown>;
}

interface MediaTypeObject {
  schema?: unknown;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: {
    required?: boolean;
    description?: string;
    content?: Record<string, MediaTypeObject>;
  };
  responses?: Record<string, { content?: Record<string, MediaTypeObject> }>;
}

/** The tool an operation becomes, before x-mesh and the mesh's own reading apply. */
export interface OperationShape {
  readonly input: JsonSchema;
  /** Path of each input property's schema in the document, to locate schema problems. */
  readonly inputPlaces: ReadonlyMap<string, SpecPath>;
  readonly output?: JsonSchema;
  readonly outputPlace?: SpecPath;
  readonly rest: Omit<RestOperation, 'tool'>;
}

// The serialisations openapi-fetch writes by default: path and header `simple`, query `form`
// with explode. Anything else would send what the service does not expect.
const defaultStyle: Record<string, string> = { path: 'simple', query: 'form', header: 'simple' };

/** The JSON media type of a content map: `application/json` or any `+json` type. */
export function jsonMediaType(content: Record<string, unknown> | undefined): string | undefined {
  const types = Object.keys(content ?? {});
  return (
    types.find((type) => type.split(';')[0]?.trim().toLowerCase() === 'application/json') ??
    types.find((type) => /^[a-z]+\/[^;]*\+json\s*(;|$)/i.test(type))
  );
}

/**
 * Maps one operation to a tool's input and output schemas and its REST binding. An operation
 * the mapping cannot serve (a non-JSON body, a cookie or a non-default parameter style) is
 * reported as a warning and answers undefined: it is left out, and `x-mesh: { expose: false }`
 * says so on purpose.
 */
export function readOperation(
  method: RestOperation['method'],
  template: string,
  operation: OperationObject,
  pathParameters: readonly ParameterObject[],
  at: SpecPath,
  report: OpenApiReport,
): OperationShape | undefined {
  const where = `${method.toUpperCase()} ${template}`;
  const leftOut = ` — the operation is left out; add "x-mesh: { expose: false }" to it to say so`;
  const own = operation.parameters ?? [];
  // Operation-level parameters override path-level ones of the same name and location.
  const merged: { parameter: ParameterObject; place: SpecPath }[] = [
    ...pathParameters
      .map((parameter, index) => ({ parameter, place: [...at.slice(0, -1), 'parameters', index] }))
      .filter(
        ({ parameter }) => !own.some((o) => o.name === parameter.name && o.in === parameter.in),
      ),
    ...own.map((parameter, index) => ({ parameter, place: [...at, 'parameters', index] })),
  ];

  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const inputPlaces = new Map<string, SpecPath>();
  const parameters: RestParameter[] = [];
  let supported = true;
  for (const { parameter, place } of merged) {
    if (parameter.in === 'cookie') {
      report(
        place,
        'warning',
        'unsupported-parameter',
        `${where}: cookie parameter "${parameter.name}" is not supported${leftOut}`,
      );
      supported = false;
      continue;
    }
    if (parameter.content !== undefined) {
      report(
        [...place, 'content'],
        'warning',
        'unsupported-parameter',
        `${where}: parameter "${parameter.name}" is described by content, not schema; only schema parameters are supported${leftOut}`,
        true,
      );
      supported = false;
      continue;
    }
    const style = parameter.style ?? defaultStyle[parameter.in];
    const explode = parameter.explode ?? style === 'form';
    if (
      style !== defaultStyle[parameter.in] ||
      (parameter.in === 'query' && !explode) ||
      parameter.allowReserved === true
    ) {
      const key =
        style !== defaultStyle[parameter.in]
          ? 'style'
          : parameter.allowReserved === true
            ? 'allowReserved'
            : 'explode';
      report(
        [...place, key],
        'warning',
        'unsupported-parameter',
        `${where}: parameter "${parameter.name}" uses ${key} ${JSON.stringify(parameter[key as keyof ParameterObject])}; only the default serialisation (${defaultStyle[parameter.in]}${parameter.in === 'query' ? ', explode' : ''}) is supported for ${parameter.in} parameters${leftOut}`,
      );
      supported = false;
      continue;
    }
    if (parameter.name === 'body' || properties[parameter.name] !== undefined) {
      const other = parameter.name === 'body' ? 'the request body' : 'another parameter';
      report(
        [...place, 'name'],
        'error',
        'parameter-collision',
        `${where}: parameter "${parameter.name}" (${parameter.in}) would be the same tool argument as ${other}; tool arguments are keyed by parameter name`,
      );
      continue;
    }
    const schema = toJsonSchema(parameter.schema ?? {});
    properties[parameter.name] =
      parameter.description === undefined ||
      (schema as { description?: string }).description !== undefined
        ? schema
        : { ...schema, description: parameter.description };
    inputPlaces.set(parameter.name, [...place, 'schema']);
    if (parameter.required === true || parameter.in === 'path') required.push(parameter.name);
    parameters.push({
      name: parameter.name,
      in: parameter.in as RestParameter['in'],
      property: parameter.name,
    });
  }

  let body = false;
  const requestBody = operation.requestBody;
  if (requestBody?.content !== undefined) {
    const mediaType = jsonMediaType(requestBody.content);
    if (mediaType === undefined) {
      const first = Object.keys(requestBody.content)[0] ?? '';
      report(
        [...at, 'requestBody', 'content', first],
        'warning',
        'unsupported-media-type',
        `${where}: the request body is ${Object.keys(requestBody.content).join(', ') || 'empty'}; only JSON bodies (application/json, */*+json) are supported${leftOut}`,
        true,
      );
      supported = false;
    } else if (properties.body === undefined) {
      const schema = toJsonSchema(requestBody.content[mediaType]?.schema ?? {});
      properties.body =
        requestBody.description === undefined
          ? schema
          : { ...schema, description: requestBody.description };
      inputPlaces.set('body', [...at, 'requestBody', 'content', mediaType, 'schema']);
      if (requestBody.required === true) required.push('body');
      body = true;
    }
  }
  if (!supported) return undefined;

  const success = Object.keys(operation.responses ?? {})
    .filter((code) => /^2(\d\d|XX)$/i.test(code))
    .sort()[0];
  const content = success === undefined ? undefined : operation.responses?.[success]?.content;
  const mediaType = jsonMediaType(content);
  const raw = mediaType === undefined ? undefined : content?.[mediaType]?.schema;
  let output: JsonSchema | undefined;
  let kind: RestOutput = 'text';
  if (raw !== undefined) {
    const schema = toJsonSchema(raw);
    const isObject = describesObject(schema);
    // MCP structured results are objects: other JSON answers travel as `{ result }`.
    output = isObject
      ? schema
      : { type: 'object', properties: { result: schema }, required: ['result'] };
    kind = isObject ? 'object' : 'wrapped';
  }

  return {
    input: {
      type: 'object',
      properties,
      ...(required.length === 0 ? {} : { required }),
      additionalProperties: false,
    },
    inputPlaces,
    ...(output === undefined
      ? {}
      : {
          output,
          outputPlace: [
            ...at,
            'responses',
            success as string,
            'content',
            mediaType as string,
            'schema',
          ],
        }),
    rest: { method, path: template, parameters, body, output: kind },
  };
}

/** Whether every value a schema accepts is a JSON object (`allOf` with one object member is). */
function describesObject(schema: JsonSchema): boolean {
  const { type, properties, additionalProperties, allOf } = schema as {
    type?: unknown;
    properties?: unknown;
    additionalProperties?: unknown;
    allOf?: JsonSchema[];
  };
  if (type !== undefined) return type === 'object';
  if (properties !== undefined || additionalProperties !== undefined) return true;
  return Array.isArray(allOf) && allOf.some(describesObject);
}
