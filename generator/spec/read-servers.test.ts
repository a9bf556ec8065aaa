import { describe, expect, it } from 'vitest';
import { planMesh } from '../generate-mesh.js';
import { validateSources } from './validate-spec.js';

const path = 'specs/plain.mesh.yaml';

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

const consumerAndServer = yaml(
  'agents:',
  '  - name: kettle',
  '    tools:',
  '      - name: boil',
  '        dependencies: [temperature]',
  'servers:',
  '  - name: thermometer',
  '    url: http://127.0.0.1:9100/mcp',
  '    version: 2.1.0',
  '    tools:',
  '      - name: convert',
  '        capability: temperature',
  '        kwargs: { timeout: 250ms }',
  '        input:',
  '          type: object',
  '          properties: { fahrenheit: { type: number } }',
  '          required: [fahrenheit]',
  '        output:',
  '          type: object',
  '          properties: { celsius: { type: number } }',
  '          required: [celsius]',
);

describe('servers: plain MCP servers in the spec', () => {
  it('become plain-server metadata with defaults, and provide the capabilities agents depend on', () => {
    const result = validateSources([{ path, text: consumerAndServer }]);
    // No unprovided-dependency warning: the server's tool provides "temperature".
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.servers).toEqual([
      {
        name: 'thermometer',
        url: 'http://127.0.0.1:9100/mcp',
        version: '2.1.0',
        namespace: 'default',
        discover: false,
        source: path,
        tools: [
          expect.objectContaining({
            name: 'convert',
            capability: 'temperature',
            version: '2.1.0',
            kwargs: { timeout: 0.25 },
            dependencies: [],
          }),
        ],
      },
    ]);
  });

  it('type the generated proxy from the server tool schemas', async () => {
    const model = validateSources([{ path, text: consumerAndServer }]).model;
    if (!model) throw new Error('expected a valid spec');
    const outputs = await planMesh(model, {
      outDirectory: 'generated',
      handlersDirectory: 'handlers',
      runtimeImport: '@mcp-mesh/runtime',
      cwd: '/project',
    });
    const proxy = outputs.find((output) => output.path.includes('proxies/'));
    expect(proxy?.content).toContain('fahrenheit: number');
    expect(proxy?.content).toContain('celsius: number');
    expect(proxy?.content).not.toContain('../agents/');
    // A plain server gets no agent stub and no handler scaffold.
    expect(outputs.filter((output) => output.path.includes('thermometer'))).toEqual([]);
  });

  it('reports a URL whose path is not /mcp, a bad version and a duplicate name at their lines', () => {
    const text = yaml(
      'agents: []',
      'servers:',
      '  - name: a',
      '    url: http://127.0.0.1:9100/sse',
      '  - name: b',
      '    url: http://127.0.0.1:9101/mcp',
      '    version: banana',
      '  - name: b',
      '    url: http://127.0.0.1:9102/mcp',
      '    discover: true',
    );
    const schemaErrors = validateSources([{ path, text }]).diagnostics;
    expect(schemaErrors.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['4:10 schema']);
    expect(schemaErrors[0]?.message).toContain('servers[0].url');

    const fixed = text.replace('/sse', '/mcp');
    const diagnostics = validateSources([{ path, text: fixed }]).diagnostics;
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`)).toEqual([
      '7:14 invalid-version: version "banana" of server "b" is not a semantic version (e.g. 1.2.0)',
      `8:11 duplicate-agent: server "b" is declared twice (first at ${path}); give each server its own name`,
    ]);
  });

  it('refuses dependencies on a server tool (a plain server cannot be injected anything)', () => {
    const text = yaml(
      'agents: []',
      'servers:',
      '  - name: a',
      '    url: http://127.0.0.1:9100/mcp',
      '    tools:',
      '      - name: convert',
      '        dependencies: [x]',
    );
    const [diagnostic] = validateSources([{ path, text }]).diagnostics;
    expect(diagnostic?.code).toBe('schema');
    expect(diagnostic?.line).toBe(7);
  });
});
