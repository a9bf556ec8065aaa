import type { AgentMetadata, ToolMetadata } from '@mcp-mesh/runtime';
import semver from 'semver';
import { kebabCase } from '../emit/names.js';
import type { Diagnostic } from '../spec/diagnostic.js';
import type { LocatedAgent, SpecLocator } from '../spec/located.js';
import { type RawTool, readTool } from '../spec/read-agents.js';
import type { SpecPath } from '../spec/source-file.js';
import type { DocumentLocator } from './document-locator.js';
import { type OpenApiReport, type OperationObject, readOperation } from './read-operation.js';
import type { RestBinding, RestOperation } from './rest-binding.js';
import { checkXMesh } from './x-mesh-check.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface DocumentXMesh {
  name?: string;
  version?: string;
  description?: string;
  namespace?: string;
  port?: number;
  host?: string;
  tags?: string[];
  base_url?: string;
  base_url_env?: string;
  kwargs?: Record<string, unknown>;
}

interface OperationXMesh {
  expose?: boolean;
  name?: string;
  capability?: string;
  version?: string;
  tags?: string[];
  title?: string;
  annotations?: Record<string, boolean | string>;
  kwargs?: Record<string, unknown>;
  dependencies?: RawTool['dependencies'];
}

interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths?: Record<string, Record<string, unknown> & { parameters?: never[] }>;
  'x-mesh'?: DocumentXMesh;
}

/** Where each part of a tool came from in the document, to point mesh-level checks at it. */
interface ToolPlaces {
  readonly operation: SpecPath;
  readonly name: SpecPath;
  readonly inputPlaces: ReadonlyMap<string, SpecPath>;
  readonly outputPlace?: SpecPath;
  readonly xMesh: OperationXMesh;
}

/**
 * The agent a dereferenced OpenAPI document describes: one tool per operation (named by its
 * operationId), with the REST binding its generated bodies need. Every mapping problem is a
 * diagnostic located in the document as written (a file reached by `$ref` included).
 */
export function readOpenApi(
  api: OpenApiDocument,
  locator: DocumentLocator,
  display: string,
): { agent?: LocatedAgent & { readonly rest: RestBinding }; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const documentLocator: SpecLocator = {
    path: display,
    data: api,
    diagnostic: (path, severity, code, message, options) =>
      locator.diagnostic(path, severity, code, message, options),
  };
  const report: OpenApiReport = (path, severity, code, message, atKey) =>
    diagnostics.push(locator.diagnostic(path, severity, code, message, { atKey: atKey === true }));

  const root = api['x-mesh'] ?? {};
  const rootProblems = checkXMesh(api['x-mesh'] ?? {}, 'document', ['x-mesh'], documentLocator);
  diagnostics.push(...rootProblems);
  if (rootProblems.length > 0) return { diagnostics };

  const name =
    root.name ??
    kebabCase(api.info.title.replace(/[^A-Za-z0-9]+/g, '-')).replace(/^[^A-Za-z]+/, '');
  const version = root.version ?? api.info.version;
  const versionPlace: SpecPath =
    root.version === undefined ? ['info', 'version'] : ['x-mesh', 'version'];
  if (semver.valid(version) === null) {
    report(
      versionPlace,
      'error',
      'invalid-version',
      `version "${version}" of agent "${name}" is not a semantic version (e.g. 1.2.0)${root.version === undefined ? '; set x-mesh.version at the document root' : ''}`,
    );
  }

  const tools: RawTool[] = [];
  const places: ToolPlaces[] = [];
  const operations: RestOperation[] = [];
  for (const [template, item] of Object.entries(api.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method] as
        | (OperationObject & { 'x-mesh'?: OperationXMesh })
        | undefined;
      if (operation === undefined) continue;
      const at: SpecPath = ['paths', template, method];
      const xMesh = operation['x-mesh'] ?? {};
      const problems = checkXMesh(xMesh, 'operation', [...at, 'x-mesh'], documentLocator);
      diagnostics.push(...problems);
      if (problems.length > 0 || xMesh.expose === false) continue;
      if (xMesh.name === undefined && operation.operationId === undefined) {
        report(
          at,
          'error',
          'missing-operation-id',
          `${method.toUpperCase()} ${template} has no operationId; tools are named by it: add one, or x-mesh.name, or "x-mesh: { expose: false }" to leave the operation out`,
          true,
        );
        continue;
      }
      const shape = readOperation(
        method,
        template,
        operation,
        (item.parameters ?? []) as never[],
        at,
        report,
      );
      if (!shape) continue;
      const toolName = xMesh.name ?? toolNameOf(operation.operationId as string);
      tools.push({
        name: toolName,
        ...(xMesh.capability === undefined ? {} : { capability: xMesh.capability }),
        version: xMesh.version ?? version,
        tags: [...new Set([...(root.tags ?? []), ...(xMesh.tags ?? [])])],
        ...(xMesh.title === undefined ? {} : { title: xMesh.title }),
        ...descriptionOf(operation),
        input: shape.input,
        ...(shape.output === undefined ? {} : { output: shape.output }),
        annotations: { ...methodHints(method), ...(xMesh.annotations ?? {}) },
        kwargs: { ...(root.kwargs ?? {}), ...(xMesh.kwargs ?? {}) },
        ...(xMesh.dependencies === undefined ? {} : { dependencies: xMesh.dependencies }),
      });
      places.push({
        operation: at,
        name: xMesh.name === undefined ? [...at, 'operationId'] : [...at, 'x-mesh', 'name'],
        inputPlaces: shape.inputPlaces,
        ...(shape.outputPlace === undefined ? {} : { outputPlace: shape.outputPlace }),
        xMesh,
      });
      operations.push({ tool: toolName, ...shape.rest });
    }
  }

  // Mesh paths (`agents[0].tools[i].kwargs.timeout`) as document paths, for the shared checks.
  const toDocument = (path: SpecPath): SpecPath => {
    const [, , group, index, field, ...rest] = path;
    if (group === 'name') return root.name === undefined ? ['info', 'title'] : ['x-mesh', 'name'];
    if (group !== 'tools' || typeof index !== 'number') return [];
    const place = places[index] as ToolPlaces;
    switch (field) {
      case undefined:
        return place.operation;
      case 'name':
        return place.name;
      case 'input': {
        const [keyword, property, ...inner] = rest;
        const schema =
          keyword === 'properties' ? place.inputPlaces.get(String(property)) : undefined;
        return schema ? [...schema, ...inner] : place.operation;
      }
      case 'output':
        return place.outputPlace
          ? [
              ...place.outputPlace,
              ...(rest[0] === 'properties' && rest[1] === 'result' ? rest.slice(2) : rest),
            ]
          : place.operation;
      case 'kwargs':
        return place.xMesh.kwargs?.[String(rest[0])] !== undefined ||
          root.kwargs?.[String(rest[0])] === undefined
          ? [...place.operation, 'x-mesh', 'kwargs', ...rest]
          : ['x-mesh', 'kwargs', ...rest];
      case 'version':
        return place.xMesh.version === undefined
          ? versionPlace
          : [...place.operation, 'x-mesh', 'version'];
      default:
        return [...place.operation, 'x-mesh', field as string, ...rest];
    }
  };
  const meshLayout: SpecLocator = {
    path: display,
    data: { agents: [{ name, tools }] },
    diagnostic: (path, severity, code, message, options) =>
      locator.diagnostic(toDocument(path), severity, code, message, options),
  };
  const readReport = (at: SpecPath, code: Diagnostic['code'], message: string) =>
    diagnostics.push(meshLayout.diagnostic(['agents', 0, ...at], 'error', code, message));
  const metadata: AgentMetadata = {
    name,
    version,
    ...((root.description ?? api.info.description) === undefined
      ? {}
      : { description: root.description ?? api.info.description }),
    namespace: root.namespace ?? 'default',
    port: root.port ?? 0,
    ...(root.host === undefined ? {} : { host: root.host }),
    tools: tools.map((tool, index): ToolMetadata => readTool(tool, ['tools', index], readReport)),
    resources: [],
    prompts: [],
  };
  return {
    diagnostics,
    agent: {
      file: meshLayout,
      path: ['agents', 0],
      metadata,
      rest: {
        document: locator.rootFile,
        baseUrl: root.base_url ?? serverUrl(api.servers?.[0]),
        baseUrlEnv:
          root.base_url_env ?? `${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_BASE_URL`,
        operations,
      },
    },
  };
}

/** An operationId as a tool name: characters a tool name cannot hold become `_`. */
export function toolNameOf(operationId: string): string {
  const name = operationId.trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z]/.test(name) ? name : `op_${name}`;
}

function descriptionOf(operation: OperationObject): { description?: string } {
  const text = [operation.summary, operation.description]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join('\n\n');
  return text === '' ? {} : { description: text.slice(0, 4096) };
}

/** The MCP hints an HTTP method's semantics give (RFC 9110: safe and idempotent methods). */
function methodHints(method: (typeof methods)[number]): Record<string, boolean> {
  if (method === 'get' || method === 'head' || method === 'options') return { readOnlyHint: true };
  if (method === 'put' || method === 'delete') return { idempotentHint: true };
  return {};
}

function serverUrl(
  server: { url: string; variables?: Record<string, { default: string }> } | undefined,
): string {
  if (!server) return '';
  return server.url.replace(
    /\{([^}]+)\}/g,
    (whole, variable: string) => server.variables?.[variable]?.default ?? whole,
  );
}
