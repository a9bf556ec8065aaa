import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../spec/validate-spec.js';

const valid = fileURLToPath(new URL('./fixtures/valid/', import.meta.url));
const { diagnostics, model } = await validateSpec(['.'], valid);
const shop = model?.agents.find((agent) => agent.name === 'the-shop-api');
const clock = model?.agents.find((agent) => agent.name === 'wall-clock');
const tool = (name: string) => shop?.tools.find((candidate) => candidate.name === name);
const operation = (name: string) => shop?.rest?.operations.find((o) => o.tool === name);

describe('an OpenAPI document as a mesh spec', () => {
  it('is found in a directory by its name (*.openapi.yaml, *.openapi.json) and read without errors', () => {
    expect(diagnostics.map((d) => d.code)).toEqual(['unprovided-dependency']);
    expect(model?.agents.map((agent) => agent.source).sort()).toEqual([
      'clock.openapi.json',
      'shop.openapi.yaml',
    ]);
  });

  it('names the agent from info (kebab-cased title, version, description) or its root x-mesh', () => {
    expect(shop).toMatchObject({
      name: 'the-shop-api',
      version: '2.1.0',
      description: 'Orders and carts.',
      port: 0,
    });
    expect(shop?.rest).toMatchObject({
      baseUrl: 'https://eu.shop.example/v1',
      baseUrlEnv: 'THE_SHOP_API_BASE_URL',
    });
    expect(clock?.rest).toMatchObject({ baseUrl: 'http://127.0.0.1:9/', baseUrlEnv: 'CLOCK_URL' });
  });

  it('makes one tool per operation, named by operationId; expose: false leaves one out', () => {
    expect(shop?.tools.map((t) => t.name)).toEqual([
      'listCartItems',
      'addCartItem',
      'replace_cart',
      'deleteCart',
    ]);
    expect(tool('listCartItems')?.description).toBe('Items of a cart.\n\nNewest first.');
  });

  it('puts path (path-level too), query and header parameters in the input, each placed by location', () => {
    expect(tool('listCartItems')?.inputSchema).toEqual({
      type: 'object',
      properties: {
        cartId: { type: 'string' },
        page: { type: 'integer', minimum: 1 },
        sku: { type: 'array', items: { type: 'string' } },
        'X-Trace': { type: 'string' },
      },
      required: ['cartId', 'sku'],
      additionalProperties: false,
    });
    expect(operation('listCartItems')?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:cartId',
      'query:page',
      'query:sku',
      'header:X-Trace',
    ]);
  });

  it('takes the JSON request body (required or not, application/json or +json) as `body`', () => {
    const add = tool('addCartItem')?.inputSchema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(add.required).toEqual(['cartId', 'body']);
    // Dereferenced from models.yaml; 3.0 `nullable` and boolean exclusiveMinimum as JSON Schema 2020-12.
    expect(add.properties.body).toEqual({
      type: 'object',
      required: ['sku', 'quantity'],
      properties: {
        sku: { type: 'string' },
        quantity: { type: 'integer', minimum: 1 },
        price: { type: ['number', 'null'], exclusiveMinimum: 0 },
      },
    });
    const replace = tool('replace_cart')?.inputSchema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(replace.required).toEqual(['cartId']);
    expect(replace.properties.body).toEqual({
      type: 'object',
      properties: { note: { type: ['string', 'null'] } },
    });
    expect(operation('replace_cart')?.body).toBe(true);
    expect(operation('deleteCart')?.body).toBe(false);
  });

  it('answers the 2xx JSON object as the result, other JSON as { result }, no schema as text', () => {
    expect(operation('addCartItem')?.output).toBe('object');
    expect(tool('addCartItem')?.outputSchema).toMatchObject({
      type: 'object',
      required: ['sku', 'quantity'],
    });
    expect(operation('listCartItems')?.output).toBe('wrapped');
    expect(tool('listCartItems')?.outputSchema).toMatchObject({
      type: 'object',
      required: ['result'],
      properties: { result: { type: 'array' } },
    });
    expect(operation('deleteCart')?.output).toBe('text');
    expect(tool('deleteCart')?.outputSchema).toBeUndefined();
  });

  it('derives annotations from the method; x-mesh adds capability, version, tags, kwargs, dependencies', () => {
    expect(tool('listCartItems')?.annotations).toEqual({ readOnlyHint: true });
    expect(tool('replace_cart')?.annotations).toEqual({ idempotentHint: true });
    expect(tool('deleteCart')?.annotations).toEqual({ idempotentHint: true });
    expect(tool('addCartItem')).toMatchObject({
      capability: 'cart_add',
      version: '3.0.0',
      tags: ['shop', 'write'],
      annotations: { destructiveHint: false },
      // Root kwargs first, the operation's own win; durations in seconds as in the YAML format.
      kwargs: { timeout: 10, retry_count: 1 },
      dependencies: [
        {
          capability: 'pricing',
          version: '>=1.0.0',
          tags: [],
          required: false,
          parameter: 'pricing',
        },
      ],
    });
    expect(tool('deleteCart')).toMatchObject({
      capability: 'deleteCart',
      version: '2.1.0',
      tags: ['shop'],
      kwargs: { timeout: 3, retry_count: 1 },
    });
  });
});
