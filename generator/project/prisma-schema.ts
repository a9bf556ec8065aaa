import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Handlebars from 'handlebars';
import { generatedHeader } from '../emit/header.js';
import type { Diagnostic } from '../spec/diagnostic.js';
import { formatDiagnosticsAsText } from '../spec/format-diagnostics.js';
import { toPath } from '../spec/schema-check.js';
import { SourceFile } from '../spec/source-file.js';
import { projectHeader } from './project-header.js';

interface FieldDeclaration {
  type: string;
  description?: string;
  id?: boolean;
  optional?: boolean;
  list?: boolean;
  unique?: boolean;
  updatedAt?: boolean;
  map?: string;
  default?: string | number | boolean;
  relation?: { fields: string[]; references: string[]; onDelete?: string };
}
interface ModelDeclaration {
  description?: string;
  map?: string;
  fields: Record<string, FieldDeclaration>;
  indexes?: string[][];
  unique?: string[][];
}
interface ModelsDocument {
  models: Record<string, ModelDeclaration>;
  targets: { provider: 'sqlite' | 'postgresql'; schema: string; client: string }[];
}

const scalarTypes = new Set([
  'String',
  'Int',
  'BigInt',
  'Float',
  'Boolean',
  'DateTime',
  'Json',
  'Decimal',
  'Bytes',
]);
const template = Handlebars.compile(
  readFileSync(new URL('./schema.prisma.hbs', import.meta.url), 'utf8'),
  {
    noEscape: true,
    strict: true,
  },
);
const schemaUrl = new URL('../../spec/registry.models.schema.json', import.meta.url);

/** The models file could not be turned into Prisma schemas; the message lists every problem. */
export class ModelsError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(formatDiagnosticsAsText(diagnostics));
    this.name = 'ModelsError';
  }
}

/**
 * Turns the registry's models declaration (spec/registry.models.yaml) into one Prisma schema
 * per target database. Paths are relative to `root` in and out.
 */
export function emitPrismaSchemas(
  root: string,
  modelsPath: string,
): { path: string; content: string }[] {
  const file = new SourceFile(modelsPath, readFileSync(`${root}/${modelsPath}`, 'utf8'));
  const document = checkModels(file);
  return document.targets.map((target) => {
    const schemaDirectory = dirname(target.schema);
    const models = Object.entries(document.models).map(([name, model]) => ({
      name,
      description: model.description,
      lines: modelLines(model),
    }));
    const content = template({
      header: generatedHeader(relative(schemaDirectory, modelsPath), projectHeader),
      provider: target.provider,
      clientOutput: relative(schemaDirectory, target.client),
      models,
    });
    return { path: target.schema, content };
  });
}

function checkModels(file: SourceFile): ModelsDocument {
  if (file.syntaxDiagnostics.length > 0) throw new ModelsError(file.syntaxDiagnostics);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));
  if (!validate(file.data)) {
    throw new ModelsError(
      (validate.errors ?? []).map((error) =>
        file.diagnostic(
          toPath(error.instancePath, file.data),
          'error',
          'schema',
          `${error.instancePath || 'document'} ${error.message ?? 'is invalid'}`,
        ),
      ),
    );
  }
  const document = file.data as ModelsDocument;
  const diagnostics: Diagnostic[] = [];
  for (const [modelName, model] of Object.entries(document.models)) {
    for (const [fieldName, field] of Object.entries(model.fields)) {
      if (!scalarTypes.has(field.type) && !(field.type in document.models)) {
        diagnostics.push(
          file.diagnostic(
            ['models', modelName, 'fields', fieldName, 'type'],
            'error',
            'schema',
            `type "${field.type}" is neither a Prisma scalar type nor a declared model`,
          ),
        );
      }
      for (const local of field.relation?.fields ?? []) {
        if (!(local in model.fields)) {
          diagnostics.push(
            file.diagnostic(
              ['models', modelName, 'fields', fieldName, 'relation'],
              'error',
              'schema',
              `relation field "${local}" is not a field of ${modelName}`,
            ),
          );
        }
      }
    }
  }
  if (diagnostics.length > 0) throw new ModelsError(diagnostics);
  return document;
}

function modelLines(model: ModelDeclaration): string[] {
  const rows = Object.entries(model.fields).map(
    ([name, field]) => [name, fieldType(field), fieldAttributes(field)] as const,
  );
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const typeWidth = Math.max(...rows.map(([, type]) => type.length));
  const lines = rows.map(([name, type, attributes]) =>
    `${name.padEnd(nameWidth)} ${attributes ? `${type.padEnd(typeWidth)} ${attributes}` : type}`.trimEnd(),
  );
  const blockAttributes = [
    ...(model.unique ?? []).map((fields) => `@@unique([${fields.join(', ')}])`),
    ...(model.indexes ?? []).map((fields) => `@@index([${fields.join(', ')}])`),
    ...(model.map ? [`@@map("${model.map}")`] : []),
  ];
  const body = blockAttributes.length > 0 ? [...lines, '', ...blockAttributes] : lines;
  return body.map((line) => (line === '' ? '' : `  ${line}`));
}

function fieldType(field: FieldDeclaration): string {
  return `${field.type}${field.list ? '[]' : field.optional ? '?' : ''}`;
}

function fieldAttributes(field: FieldDeclaration): string {
  const attributes: string[] = [];
  if (field.id) attributes.push('@id');
  if (field.unique) attributes.push('@unique');
  if (field.default !== undefined) attributes.push(`@default(${defaultValue(field)})`);
  if (field.updatedAt) attributes.push('@updatedAt');
  if (field.relation) {
    const { fields, references, onDelete } = field.relation;
    attributes.push(
      `@relation(fields: [${fields.join(', ')}], references: [${references.join(', ')}]${onDelete ? `, onDelete: ${onDelete}` : ''})`,
    );
  }
  if (field.map) attributes.push(`@map("${field.map}")`);
  return attributes.join(' ');
}

function defaultValue(field: FieldDeclaration): string {
  if (field.default === 'now' && field.type === 'DateTime') return 'now()';
  if (field.default === 'autoincrement' && (field.type === 'Int' || field.type === 'BigInt'))
    return 'autoincrement()';
  return JSON.stringify(field.default);
}
