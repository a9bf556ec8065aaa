import { describe, expect, it } from 'vitest';
import { TypeDeclarations } from './schema-types.js';

// Declarations are unformatted here (the file they go into is formatted as a whole).
const compact = (text: string) => text.replace(/\s+/g, ' ').trim();

async function declare(
  schemas: readonly (readonly [string, Record<string, unknown>])[],
): Promise<Map<string, string>> {
  const types = new TypeDeclarations();
  for (const [name, schema] of schemas) await types.addSchema(name, schema, 'test');
  return new Map(types.names().map((name, index) => [name, compact(types.texts()[index] ?? '')]));
}

const withPlace = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties: {
    place: { $ref: '#/$defs/place' },
    more: { type: 'array', items: { $ref: '#/$defs/place' } },
  },
  required: ['place'],
  additionalProperties: false,
  $defs: { place: { type: 'object', properties, additionalProperties: false } },
});

describe('TypeDeclarations.addSchema', () => {
  it('names the root after the given name and its $defs after the root', async () => {
    const types = await declare([['LookupInput', withPlace({ lat: { type: 'number' } })]]);
    expect([...types.keys()]).toEqual(['LookupInput', 'LookupInputPlace']);
    expect(types.get('LookupInput')).toBe(
      'export interface LookupInput { place: LookupInputPlace; more?: LookupInputPlace[]; }',
    );
    expect(types.get('LookupInputPlace')).toBe(
      'export interface LookupInputPlace { lat?: number; }',
    );
  });

  it('keeps two schemas whose $defs share a key apart', async () => {
    const types = await declare([
      ['LookupInput', withPlace({ query: { type: 'string' } })],
      ['LookupOutput', withPlace({ name: { type: 'string' } })],
    ]);
    expect([...types.keys()]).toEqual([
      'LookupInput',
      'LookupInputPlace',
      'LookupOutput',
      'LookupOutputPlace',
    ]);
  });

  it('names enum $defs after the root too', async () => {
    const types = await declare([
      [
        'ModeInput',
        {
          type: 'object',
          properties: { mode: { $ref: '#/$defs/mode' } },
          $defs: { mode: { enum: ['fast', 'slow'] } },
        },
      ],
    ]);
    expect(types.get('ModeInputMode')).toBe('export type ModeInputMode = ("fast" | "slow");');
  });

  it('ignores the root title and $id when naming the root', async () => {
    const types = await declare([
      [
        'ToolInput',
        {
          $id: 'https://example.com/schemas/tool.json',
          title: 'Something else',
          type: 'object',
          properties: { a: { type: 'string' } },
        },
      ],
    ]);
    expect([...types.keys()]).toEqual(['ToolInput']);
  });

  it('types a closed empty object as an empty record, not {}', async () => {
    const types = await declare([
      ['NoArgs', { type: 'object', properties: {}, additionalProperties: false }],
      ['AlsoNoArgs', { type: 'object', additionalProperties: false }],
    ]);
    expect(types.get('NoArgs')).toBe(
      '/** No arguments. */ export type NoArgs = Record<string, never>;',
    );
    expect(types.get('AlsoNoArgs')).toContain('Record<string, never>');
  });

  it('types nested objects, enums, arrays and scalars', async () => {
    const types = await declare([
      [
        'WeatherInput',
        {
          type: 'object',
          properties: {
            location: {
              type: 'object',
              properties: { city: { type: 'string' }, lat: { type: 'number' } },
              required: ['city'],
              additionalProperties: false,
            },
            units: { enum: ['metric', 'imperial'] },
            days: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' } },
          },
          required: ['location'],
          additionalProperties: false,
        },
      ],
      ['Flag', { type: 'boolean' }],
    ]);
    expect(types.get('WeatherInput')).toBe(
      'export interface WeatherInput { location: { city: string; lat?: number; }; units?: ("metric" | "imperial"); days?: number; tags?: string[]; }',
    );
    expect(types.get('Flag')).toBe('export type Flag = boolean;');
  });

  it('accepts the same declaration twice and refuses two different ones of one name', async () => {
    const titled = (property: string) => ({
      type: 'object',
      properties: {
        x: { title: 'Shared', type: 'object', properties: { [property]: { type: 'string' } } },
      },
    });
    const types = new TypeDeclarations();
    await types.addSchema('AInput', titled('same'), 'a');
    await types.addSchema('BInput', titled('same'), 'b');
    expect(types.names()).toEqual(['AInput', 'Shared', 'BInput']);
    await expect(types.addSchema('CInput', titled('other'), 'agent.c')).rejects.toThrow(
      'two schemas define type "Shared" differently (while generating agent.c)',
    );
  });
});
