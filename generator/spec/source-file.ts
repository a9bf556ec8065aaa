import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
} from 'yaml';
import type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.js';

/** A path into parsed YAML: map keys and sequence indexes. */
export type SpecPath = readonly (string | number)[];

/**
 * One spec file, parsed, with the means to turn a path into the data back into a line and column.
 * YAML syntax errors are collected, not thrown.
 */
export class SourceFile {
  readonly data: unknown;
  readonly syntaxDiagnostics: Diagnostic[];
  private readonly document: Document.Parsed;
  private readonly lineCounter = new LineCounter();
  private readonly lines: string[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lines = text.split(/\r?\n/);
    this.document = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
    });
    this.syntaxDiagnostics = this.document.errors.map((error) =>
      this.diagnosticAtOffset(error.pos[0], 'error', 'yaml-syntax', tidyYamlMessage(error.message)),
    );
    this.data = this.syntaxDiagnostics.length === 0 ? this.toData() : undefined;
  }

  // `toJS` throws on an alias bomb ("billion laughs"); that is reported, not thrown.
  private toData(): unknown {
    try {
      return this.document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.syntaxDiagnostics.push(
        this.diagnosticAtOffset(this.offsetOf([], false), 'error', 'yaml-syntax', reason),
      );
      return undefined;
    }
  }

  /**
   * A diagnostic at the node a path points to. With `atKey`, it points at the key of the
   * last path segment instead of its value (for "unknown property" and "duplicate name").
   */
  diagnostic(
    path: SpecPath,
    severity: Severity,
    code: DiagnosticCode,
    message: string,
    options: { atKey?: boolean } = {},
  ): Diagnostic {
    return this.diagnosticAtOffset(
      this.offsetOf(path, options.atKey ?? false),
      severity,
      code,
      message,
    );
  }

  private diagnosticAtOffset(
    offset: number,
    severity: Severity,
    code: DiagnosticCode,
    message: string,
  ): Diagnostic {
    const { line, col } = this.lineCounter.linePos(Math.min(offset, this.text.length));
    const excerpt = this.lines[line - 1];
    return {
      file: this.path,
      line,
      column: col,
      severity,
      code,
      message,
      ...(excerpt === undefined || excerpt.trim() === '' ? {} : { excerpt }),
    };
  }

  // Walks down as far as the path exists and answers the deepest node found, so that a
  // missing property is reported at the object that should have held it.
  private offsetOf(path: SpecPath, atKey: boolean): number {
    let node: unknown = this.document.contents;
    let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
    for (let index = 0; index < path.length; index++) {
      const segment = path[index];
      const isLast = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && keyText(item.key) === String(segment),
        );
        if (!pair) return offset;
        const keyNode = pair.key;
        if (isLast && atKey && isNode(keyNode)) return keyNode.range?.[0] ?? offset;
        node = pair.value;
        const valueStart = isNode(node) ? node.range?.[0] : undefined;
        offset = valueStart ?? (isNode(keyNode) ? (keyNode.range?.[0] ?? offset) : offset);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!isNode(item)) return offset;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else {
        return offset;
      }
    }
    return offset;
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function tidyYamlMessage(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
