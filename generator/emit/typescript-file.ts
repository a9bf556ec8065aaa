import {
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  IndentationText,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  Project,
  QuoteKind,
  type StatementStructures,
  StructureKind,
  type TypeAliasDeclarationStructure,
  ts,
} from 'ts-morph';
import { propertyKey, singleQuoted } from './names.js';

// One in-memory project for all emitted files: creating a ts-morph Project is costly.
const project = new Project({
  useInMemoryFileSystem: true,
  manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
});
let counter = 0;

/**
 * The statements of a file being built, as ts-morph structures. Collecting structures and
 * printing them once is ~10x faster than adding nodes to a source file one by one, which
 * re-parses the file after every addition.
 */
export class StatementList {
  readonly statements: (string | StatementStructures)[] = [];

  addImportDeclaration(structure: OptionalKind<ImportDeclarationStructure>): void {
    this.statements.push({ ...structure, kind: StructureKind.ImportDeclaration });
  }

  /** Raw statements, already formatted (e.g. declarations from `TypeDeclarations`). */
  addStatements(text: string): void {
    if (text !== '') this.statements.push(`\n${text}`);
  }

  addTypeAlias(structure: OptionalKind<TypeAliasDeclarationStructure>): void {
    this.statements.push('\n', { ...structure, kind: StructureKind.TypeAlias });
  }

  addInterface(structure: OptionalKind<InterfaceDeclarationStructure>): void {
    this.statements.push('\n', { ...structure, kind: StructureKind.Interface });
  }

  /**
   * An exported constant holding JSON data. Written as text: the structure printer would add a
   * hanging indent to every line of a multi-line initializer.
   */
  addConstant(constant: { name: string; type: string; value: unknown; doc: string }): void {
    this.statements.push(
      `\n/** ${constant.doc} */\nexport const ${constant.name}: ${constant.type} = ${typescriptLiteral(constant.value)};`,
    );
  }

  addFunction(structure: OptionalKind<FunctionDeclarationStructure>): void {
    this.statements.push('\n', { ...structure, kind: StructureKind.Function });
  }
}

/**
 * Builds a TypeScript file from ts-morph structures and answers its text. The same calls
 * always produce the same bytes.
 */
export function buildTypeScript(header: string, build: (file: StatementList) => void): string {
  const list = new StatementList();
  build(list);
  const file = project.createSourceFile(
    `emit-${counter++}.ts`,
    { statements: list.statements },
    { overwrite: true },
  );
  try {
    // Every declaration is pushed after a blank line, which the printer may double; imports
    // come one a line and are separated from the code once. Generated literals never hold a
    // raw newline inside a string, so collapsing blank lines cannot change a value.
    const text = file
      .getFullText()
      .trimStart()
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^(import [^\n]*\n)\n(?=import )/gm, '$1')
      .replace(/^((?:import [^\n]*\n)+)(?!import )(?=\S)/, '$1\n');
    return `${header}\n${text.endsWith('\n') ? text : `${text}\n`}`;
  } finally {
    project.removeSourceFile(file);
  }
}

/**
 * Splits TypeScript declarations text into named top-level statements, formatted (two-space
 * indentation, semicolons) the way the rest of a generated file is.
 */
export function namedDeclarations(text: string): { name: string; text: string }[] {
  const file = project.createSourceFile(`split-${counter++}.ts`, text, { overwrite: true });
  try {
    file.formatText({
      indentSize: 2,
      convertTabsToSpaces: true,
      semicolons: ts.SemicolonPreference.Insert,
    });
    return [...file.getInterfaces(), ...file.getTypeAliases(), ...file.getEnums()]
      .sort((a, b) => a.getStart() - b.getStart())
      .map((declaration) => ({
        name: declaration.getName(),
        text: declaration.getFullText().trim(),
      }));
  } finally {
    project.removeSourceFile(file);
  }
}

/**
 * A JSON value as a TypeScript literal in the project's style: identifier keys unquoted,
 * strings in single quotes, two-space indentation.
 */
export function typescriptLiteral(value: unknown, indent = ''): string {
  if (typeof value === 'string') return singleQuoted(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item !== 'object' || item === null)) {
      return `[${value.map((item) => typescriptLiteral(item)).join(', ')}]`;
    }
    return `[\n${value.map((item) => `${inner}${typescriptLiteral(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(
    ([key, item]) => `${inner}${propertyKey(key)}: ${typescriptLiteral(item, inner)},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * How a file refers to a runtime export it imports: by its own name, or, when the file declares
 * that name itself (an agent named `agent` declares `AgentHandlers` and `defineAgent`), by an
 * alias. Answers the import specifiers and the name to use for each export.
 */
export function runtimeImports(
  imports: readonly { readonly name: string; readonly isTypeOnly?: boolean }[],
  declared: Iterable<string>,
): {
  specifiers: { name: string; alias?: string; isTypeOnly?: boolean }[];
  use: (name: string) => string;
} {
  const local = new Set(declared);
  const aliases = new Map<string, string>();
  const specifiers = imports.map(({ name, isTypeOnly }) => {
    const alias = local.has(name)
      ? `${/^[A-Z]/.test(name) ? 'R' : 'r'}untime${name[0]!.toUpperCase()}${name.slice(1)}`
      : undefined;
    if (alias) aliases.set(name, alias);
    return { name, ...(alias ? { alias } : {}), ...(isTypeOnly ? { isTypeOnly } : {}) };
  });
  return { specifiers, use: (name) => aliases.get(name) ?? name };
}
