import { describe, expect, it } from 'vitest';
import type { AgentMetadata } from '../metadata.js';
import { registrationBody } from './registration-body.js';

const metadata: AgentMetadata = {
  name: 'greeter',
  version: '1.2.3',
  description: 'Greets people.',
  namespace: 'demo',
  port: 9000,
  tools: [
    {
      name: 'greet',
      capability: 'greeting',
      version: '1.0.0',
      tags: ['demo', 'fast'],
      title: 'Greet',
      description: 'Greets someone.',
      inputSchema: { type: 'object', properties: { name: { type: 'string' } } },
      outputSchema: { type: 'object', properties: { message: { type: 'string' } } },
      annotations: { readOnlyHint: true },
      kwargs: { timeout: 2, retry_count: 1, custom_headers: { 'x-team': 'blue' } },
      dependencies: [
        {
          capability: 'date_service',
          version: '>=1.0.0',
          tags: ['system', '+fast', '-slow'],
          required: false,
          parameter: 'dateService',
        },
        {
          capability: 'audit',
          version: '*',
          tags: [],
          namespace: 'ops',
          required: true,
          parameter: 'audit',
        },
      ],
    },
    {
      name: 'wave',
      capability: 'waving',
      version: '0.1.0',
      tags: [],
      inputSchema: { type: 'object' },
      kwargs: {},
      dependencies: [],
    },
  ],
  resources: [],
  prompts: [],
};

describe('registrationBody', () => {
  it('describes the agent and every tool in one body, at the address it listens on', () => {
    expect(
      registrationBody('greeter-1a2b3c4d', metadata, { host: '127.0.0.1', port: 41234 }),
    ).toEqual({
      agent_id: 'greeter-1a2b3c4d',
      agent_type: 'mcp_agent',
      name: 'greeter',
      version: '1.2.3',
      description: 'Greets people.',
      http_host: '127.0.0.1',
      http_port: 41234,
      namespace: 'demo',
      runtime: 'typescript',
      tools: [
        {
          function_name: 'greet',
          capability: 'greeting',
          version: '1.0.0',
          tags: ['demo', 'fast'],
          description: 'Greets someone.',
          inputSchema: { type: 'object', properties: { name: { type: 'string' } } },
          outputSchema: { type: 'object', properties: { message: { type: 'string' } } },
          kwargs: { timeout: 2, retry_count: 1, custom_headers: { 'x-team': 'blue' } },
          dependencies: [
            {
              capability: 'date_service',
              version: '>=1.0.0',
              tags: ['system', '+fast', '-slow'],
              required: false,
            },
            { capability: 'audit', version: '*', tags: [], namespace: 'ops', required: true },
          ],
        },
        {
          function_name: 'wave',
          capability: 'waving',
          version: '0.1.0',
          tags: [],
          inputSchema: { type: 'object' },
          kwargs: {},
          dependencies: [],
        },
      ],
    });
  });

  it('leaves out what the wire does not carry: parameter names, titles, annotations, the spec port', () => {
    const body = registrationBody('a', metadata, { host: '0.0.0.0', port: 1 });
    const greet = body.tools[0] as unknown as Record<string, unknown>;
    expect(greet).not.toHaveProperty('title');
    expect(greet).not.toHaveProperty('annotations');
    expect(JSON.stringify(body)).not.toContain('dateService');
    expect(body.http_port).toBe(1);
    expect(body).not.toHaveProperty('port');
  });

  it('sends ranges as written, OR groups of tags, and a position of alternatives as a list', () => {
    const withAlternatives: AgentMetadata = {
      ...metadata,
      tools: [
        {
          ...metadata.tools[1]!,
          dependencies: [
            {
              capability: 'geo_pro',
              version: '>=2.0.0,<3.0.0',
              tags: ['eu', ['osm', 'here']],
              required: true,
              parameter: 'geo',
              fallbacks: [
                { capability: 'geo_basic', version: '!=1.2.0', tags: [], namespace: 'maps' },
              ],
            },
          ],
        },
      ],
    };
    const body = registrationBody('a', withAlternatives, { host: 'h', port: 1 });
    expect(body.tools[0]!.dependencies).toEqual([
      [
        {
          capability: 'geo_pro',
          version: '>=2.0.0,<3.0.0',
          tags: ['eu', ['osm', 'here']],
          required: true,
        },
        {
          capability: 'geo_basic',
          version: '!=1.2.0',
          tags: [],
          namespace: 'maps',
          required: true,
        },
      ],
    ]);
  });

  it('omits the description when the agent has none', () => {
    const { description: _, ...rest } = metadata;
    expect(registrationBody('a', rest, { host: 'h', port: 1 })).not.toHaveProperty('description');
  });

  it('copies, so that changing the body never changes the metadata', () => {
    const body = registrationBody('a', metadata, { host: 'h', port: 1 });
    body.tools[0]!.kwargs.timeout = 99;
    body.tools[0]!.tags.push('changed');
    (body.tools[0]!.dependencies[0] as { tags: unknown[] }).tags.push('changed');
    expect(metadata.tools[0]!.kwargs.timeout).toBe(2);
    expect(metadata.tools[0]!.tags).toEqual(['demo', 'fast']);
    expect(metadata.tools[0]!.dependencies[0]!.tags).toEqual(['system', '+fast', '-slow']);
  });

  it('is plain JSON', () => {
    const body = registrationBody('a', metadata, { host: 'h', port: 1 });
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });
});
