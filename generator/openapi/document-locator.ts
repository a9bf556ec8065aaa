import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic, DiagnosticCode, Severity } from '../spec/diagnostic.js';
import { SourceFile, type SpecPath } from '../spec/source-file.js';

/**
 * Turns a path into the dereferenced OpenAPI document back into a line and column of the file
 * that holds it. The library that dereferences the document forgets where nodes came from, so
 * this walks the documents as written and follows each `$ref` it meets on the way (into other
 * files too), only to find positions; the data itself always comes from the library.
 */
export class DocumentLocator {
  private readonly files = new Map<string, SourceFile | undefined>();

  constructor(
    /** Absolute path of the root document. */
    readonly rootFile: string,
    private readonly display: (absolutePath: string) => string,
    rootSource: SourceFile,
  ) {
    this.files.set(rootFile, rootSource);
  }

  /** A diagnostic at the node `path` points to in the dereferenced document. */
  diagnostic(
    path: SpecPath,
    severity: Severity,
    code: DiagnosticCode,
    message: string,
    options: { atKey?: boolean } = {},
  ): Diagnostic {
    const place = this.locate(path);
    return place.file.diagnostic(place.path, severity, code, message, options);
  }

  /** The file and the path inside it, as written, of a dereferenced path. */
  locate(path: SpecPath): { file: SourceFile; path: SpecPath } {
    let file = this.files.get(this.rootFile) as SourceFile;
    let base: SpecPath = [];
    let node: unknown = file.data;
    for (let index = 0; index < path.length; index++) {
      // Follow references before stepping in; a chain of them is followed to its end.
      for (let hops = 0; hops < 32 && isReference(node); hops++) {
        const target = this.follow(file, node.$ref);
        if (!target) return { file, path: base };
        ({ file, path: base } = target);
        node = valueAt(file.data, base);
      }
      const segment = path[index] as string | number;
      const next = stepInto(node, segment);
      if (next === undefined) return { file, path: base };
      node = next;
      base = [...base, segment];
    }
    return { file, path: base };
  }

  private follow(from: SourceFile, ref: string): { file: SourceFile; path: SpecPath } | undefined {
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    const absolute =
      filePart === '' ? this.absoluteOf(from) : resolve(dirname(this.absoluteOf(from)), filePart);
    const file = this.load(absolute);
    if (!file) return undefined;
    return { file, path: pointerPath(pointer) };
  }

  private absoluteOf(file: SourceFile): string {
    for (const [absolute, loaded] of this.files) if (loaded === file) return absolute;
    return this.rootFile;
  }

  private load(absolute: string): SourceFile | undefined {
    if (!this.files.has(absolute)) {
      let loaded: SourceFile | undefined;
      try {
        loaded = new SourceFile(this.display(absolute), readFileSync(absolute, 'utf8'));
        if (loaded.syntaxDiagnostics.length > 0) loaded = undefined;
      } catch {
        loaded = undefined;
      }
      this.files.set(absolute, loaded);
    }
    return this.files.get(absolute);
  }
}

function isReference(node: unknown): node is { $ref: string } {
  return (
    node !== null &&
    typeof node === 'object' &&
    typeof (node as { $ref?: unknown }).$ref === 'string'
  );
}

function stepInto(node: unknown, segment: string | number): unknown {
  if (Array.isArray(node)) return typeof segment === 'number' ? node[segment] : undefined;
  if (node !== null && typeof node === 'object') {
    return (node as Record<string, unknown>)[String(segment)];
  }
  return undefined;
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let node = data;
  for (const segment of path) node = stepInto(node, segment);
  return node;
}

/** `/components/schemas/Pet` or `#/…` (RFC 6901, URI-encoded in a `$ref`) as path segments. */
export function pointerPath(pointer: string): SpecPath {
  const bare = pointer.replace(/^#/, '');
  if (bare === '' || bare === '/') return [];
  return safelyDecoded(bare)
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
