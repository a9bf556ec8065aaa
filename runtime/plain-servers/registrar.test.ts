import { describe, expect, it } from 'vitest';
import { type PlainServerMetadata, serverAddress } from './plain-server.js';
import { plainRegistrationBody } from './registrar.js';

const server: PlainServerMetadata = {
  name: 'thermometer',
  url: 'http://127.0.0.1:9100/mcp',
  version: '2.0.0',
  namespace: 'lab',
  tools: [
    {
      name: 'convert',
      capability: 'temperature',
      version: '2.0.0',
      tags: ['fast'],
      inputSchema: { type: 'object', properties: { fahrenheit: { type: 'number' } } },
      kwargs: { timeout: 1 },
      dependencies: [],
    },
  ],
  discover: true,
};

const listed = [
  { name: 'convert', inputSchema: { type: 'object' } },
  {
    name: 'humidity',
    description: 'Relative humidity',
    inputSchema: { type: 'object' },
    outputSchema: { type: 'object', properties: { percent: { type: 'number' } } },
  },
];

describe('plainRegistrationBody', () => {
  it('registers the declared tools as declared, and the other listed tools under their own names', () => {
    const body = plainRegistrationBody('plain-thermometer', server, listed);
    expect(body).toMatchObject({
      agent_id: 'plain-thermometer',
      agent_type: 'mcp_agent',
      name: 'thermometer',
      version: '2.0.0',
      namespace: 'lab',
      http_host: '127.0.0.1',
      http_port: 9100,
    });
    expect(body.tools).toEqual([
      {
        function_name: 'convert',
        capability: 'temperature',
        version: '2.0.0',
        tags: ['fast'],
        inputSchema: { type: 'object', properties: { fahrenheit: { type: 'number' } } },
        kwargs: { timeout: 1 },
        dependencies: [],
      },
      {
        function_name: 'humidity',
        capability: 'humidity',
        version: '2.0.0',
        tags: [],
        description: 'Relative humidity',
        inputSchema: { type: 'object' },
        outputSchema: { type: 'object', properties: { percent: { type: 'number' } } },
        kwargs: {},
        dependencies: [],
      },
    ]);
  });

  it('registers only the declared tools without discover', () => {
    const body = plainRegistrationBody('id', { ...server, discover: false }, listed);
    expect(body.tools.map((tool) => tool.function_name)).toEqual(['convert']);
  });
});

describe('serverAddress', () => {
  it('reads host and port, with the scheme default port and IPv6 brackets removed', () => {
    expect(serverAddress('http://127.0.0.1:9100/mcp')).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(serverAddress('https://tools.example.com/mcp')).toEqual({
      host: 'tools.example.com',
      port: 443,
    });
    expect(serverAddress('http://[::1]/mcp')).toEqual({ host: '::1', port: 80 });
  });
});
