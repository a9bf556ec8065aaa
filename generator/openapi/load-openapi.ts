import type { Diagnostic } from '../spec/diagnostic.js';
import type { LocatedAgent } from '../spec/located.js';
import type { SourceFile, SpecPath } from '../spec/source-file.js';
import { DocumentLocator, pointerPath } from './document-locator.js';
import { readOpenApi } from './read-openapi.js';
import type { RestBinding } from './rest-binding.js';

/** Whether parsed spec data is an OpenAPI document rather than a mesh spec. */
export function isOpenApiData(data: unknown): boolean {
  return (
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    typeof (data as { openapi?: unknown }).openapi === 'string'
  );
}

interface ParserError extends Error {
  details?: { instancePath?: string; message?: string }[];
}

/**
 * Parses, validates and dereferences an OpenAPI 3.0/3.1 document (external `$ref`s included)
 * with `@apidevtools/swagger-parser`, then maps it to an agent. Loaded only when a spec is an
 * OpenAPI document. Never throws: every problem is a located diagnostic.
 */
export async function loadOpenApi(
  absolute: string,
  source: SourceFile,
  display: (absolutePath: string) => string,
): Promise<{ agent?: LocatedAgent & { readonly rest: RestBinding }; diagnostics: Diagnostic[] }> {
  const locator = new DocumentLocator(absolute, display, source);
  const version = String((source.data as { openapi: unknown }).openapi);
  if (!/^3\.[01]\.\d+$/.test(version)) {
    return {
      diagnostics: [
        locator.diagnostic(
          ['openapi'],
          'error',
          'openapi-invalid',
          `OpenAPI ${version} is not supported; documents of version 3.0.x or 3.1.x are`,
        ),
      ],
    };
  }
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  let api: unknown;
  try {
    api = await new SwaggerParser().validate(absolute, { dereference: { circular: 'ignore' } });
  } catch (error) {
    return { diagnostics: parserDiagnostics(error as ParserError, locator, source) };
  }
  return readOpenApi(api as Parameters<typeof readOpenApi>[0], locator, display(absolute));
}

function parserDiagnostics(
  error: ParserError,
  locator: DocumentLocator,
  source: SourceFile,
): Diagnostic[] {
  const details = (error.details ?? []).filter((detail) => typeof detail.instancePath === 'string');
  if (details.length > 0) {
    // A oneOf failure reports every branch; the deepest errors are the ones a person can act on.
    const deepest = details.filter(
      (detail) =>
        !details.some(
          (other) =>
            other !== detail &&
            (other.instancePath as string).startsWith(`${detail.instancePath}/`),
        ),
    );
    const seen = new Set<string>();
    return deepest.flatMap((detail) => {
      const path = pointerPath(detail.instancePath as string);
      const message = `#${detail.instancePath} ${detail.message ?? 'is invalid'}`;
      if (seen.has(message)) return [];
      seen.add(message);
      return [invalidAt(locator, path, message)];
    });
  }
  const message = (error.message ?? String(error)).split('\n')[0] as string;
  const reference =
    /\$ref pointer "([^"]+)"|Error opening file "([^"]+)"|ENOENT[^']*'([^']+)'/.exec(message);
  if (reference) {
    const target = reference[1] ?? reference[2] ?? reference[3] ?? '';
    const [filePart = '', pointer = ''] = target.split('#');
    const needle = (filePart === '' ? pointer : filePart).split('/').pop() ?? '';
    const reason = message
      .replace(/^Error opening file "?[^":]+"?: /, `${needle}: `)
      .replace(/, open '[^']*'$/, '');
    return [referenceSite(source, needle, `unresolved $ref: ${reason}`)];
  }
  const pointer = /#(\/[^\s]*)/.exec(message);
  return [invalidAt(locator, pointer ? pointerPath(pointer[1] as string) : [], message)];
}

function invalidAt(locator: DocumentLocator, path: SpecPath, message: string): Diagnostic {
  return locator.diagnostic(
    path,
    'error',
    'openapi-invalid',
    `not a valid OpenAPI document: ${message}`,
  );
}

// The library names the target it could not resolve, not where the $ref was written: the
// first `$ref` line naming that target is the place to fix.
function referenceSite(source: SourceFile, needle: string, message: string): Diagnostic {
  const lines = source.text.split(/\r?\n/);
  const index = lines.findIndex(
    (line) => line.includes('$ref') && needle !== '' && line.includes(needle),
  );
  const line = index === -1 ? 1 : index + 1;
  const column = index === -1 ? 1 : (lines[index] as string).indexOf('$ref') + 1;
  const excerpt = lines[line - 1];
  return {
    file: source.path,
    line,
    column,
    severity: 'error',
    code: 'unresolved-ref',
    message,
    ...(excerpt === undefined || excerpt.trim() === '' ? {} : { excerpt }),
  };
}
