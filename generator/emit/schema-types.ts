import type { JsonSchema } from '@mcp-mesh/runtime';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { pascalCase } from './names.js';
import { namedDeclarations } from './typescript-file.js';

/** Declarations of one or more types, by name, ready to be written into a file. */
export class TypeDeclarations {
  private readonly byName = new Map<string, string>();

  /**
   * Adds the TypeScript types of a JSON Schema, the root named `name`. Named sub-schemas
   * (`$defs`) are prefixed with the root's name so that two tools' `$defs` never collide.
   */
  async addSchema(name: string, schema: JsonSchema, origin: string): Promise<void> {
    if (isClosedEmptyObject(schema)) {
      this.add(name, `/** No arguments. */\nexport type ${name} = Record<string, never>;`, origin);
      return;
    }
    // The root is named `name`, whatever its title or `$id` say.
    const { title: _title, $id: _id, ...root } = schema;
    const text = await compile(root as JSONSchema, name, {
      bannerComment: '',
      format: false,
      additionalProperties: false,
      unknownAny: true,
      strictIndexSignatures: true,
      declareExternallyReferenced: true,
      // A referenced `$defs` entry arrives either with its key or, for object and array
      // schemas, with the `$id` json-schema-to-typescript derived from that key.
      customName: (subschema, definitionKey) => {
        const key = definitionKey ?? (subschema.title === undefined ? subschema.$id : undefined);
        return key && key !== name ? `${name}${pascalCase(key)}` : undefined;
      },
      $refOptions: { resolve: { http: false, file: false } } as never,
    });
    for (const declaration of namedDeclarations(text))
      this.add(declaration.name, declaration.text, origin);
  }

  /** Adds a hand-made declaration, e.g. a type alias for a schema-less output. */
  add(name: string, text: string, origin: string): void {
    const existing = this.byName.get(name);
    if (existing !== undefined && existing !== text) {
      throw new Error(
        `two schemas define type "${name}" differently (while generating ${origin}); give one of them another title`,
      );
    }
    this.byName.set(name, text);
  }

  /** The names declared so far. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The declarations in the order they were first added. */
  texts(): string[] {
    return [...this.byName.values()];
  }
}

// json-schema-to-typescript renders `{type: object, properties: {}, additionalProperties: false}`
// as `{}`, which in TypeScript accepts any value; an empty record says what the schema means.
function isClosedEmptyObject(schema: JsonSchema): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return (
    schema.type === 'object' &&
    schema.additionalProperties === false &&
    (properties === undefined || Object.keys(properties).length === 0) &&
    schema.patternProperties === undefined
  );
}
