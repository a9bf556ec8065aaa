import type { AgentMetadata } from '@mcp-mesh/runtime';
import { describe, expect, it } from 'vitest';
import { emitHandlerScaffold } from './handler-scaffold.js';

const agent: AgentMetadata = {
  name: 'weather-station',
  version: '1.0.0',
  namespace: 'default',
  port: 0,
  tools: [
    {
      name: 'get-weather',
      capability: 'weather',
      version: '1.0.0',
      tags: [],
      inputSchema: { type: 'object' },
      kwargs: {},
      dependencies: [],
    },
    {
      name: 'ping',
      capability: 'ping',
      version: '1.0.0',
      tags: [],
      inputSchema: { type: 'object' },
      kwargs: {},
      dependencies: [],
    },
  ],
  resources: [{ name: 'station-detail', uriTemplate: 'weather://stations/{id}' }],
  prompts: [{ name: 'plain-prompt', arguments: [] }],
};

describe('emitHandlerScaffold', () => {
  it('names the file after the agent and imports its define function', () => {
    const scaffold = emitHandlerScaffold(agent, '../generated/agents/weather-station.js');
    expect(scaffold.path).toBe('weather-station.ts');
    expect(scaffold.content).toContain(
      "import { defineWeatherStation } from '../generated/agents/weather-station.js';",
    );
    expect(scaffold.content).toContain('export default defineWeatherStation({');
  });

  it('quotes the names that are not identifiers', () => {
    const { content } = emitHandlerScaffold(agent, './stub.js');
    expect(content).toContain("    async 'get-weather'(input, dependencies, context) {");
    expect(content).toContain('    async ping(input, dependencies, context) {');
    expect(content).toContain("    async 'station-detail'(uri, variables, context) {");
    expect(content).toContain("    async 'plain-prompt'(args, context) {");
    expect(content).not.toMatch(/async [A-Za-z_]+-/);
  });

  it('leaves out the resources and prompts groups when there are none', () => {
    const { content } = emitHandlerScaffold({ ...agent, resources: [], prompts: [] }, './stub.js');
    expect(content).toContain('  tools: {');
    expect(content).not.toContain('resources');
    expect(content).not.toContain('prompts');
  });
});
