// Generation of a large spec: 100 agents x 10 tools, each tool with input and output schemas
// and one dependency. Baseline: the same 2,000 JSON Schemas through json-schema-to-typescript
// alone, the conversion at the heart of generation, measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { stringify } from 'yaml';
import { runGenerate } from '../generator/run-generate.js';
import { type BenchResult, median } from './report.js';

const agentCount = 100;
const toolsPerAgent = 10;
const rounds = 3;

function toolSchemas(agent: number, tool: number) {
  return {
    input: {
      type: 'object',
      properties: {
        query: { type: 'string', description: `query of tool ${tool}` },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
        filters: {
          type: 'array',
          items: {
            type: 'object',
            properties: { field: { type: 'string' }, value: { type: 'string' } },
            required: ['field'],
          },
        },
      },
      required: ['query'],
    },
    output: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, score: { type: 'number' } },
          },
        },
        agent: { const: `agent${agent}` },
      },
      required: ['items'],
    },
  };
}

export function largeSpec(): object {
  return {
    mesh: 1,
    agents: Array.from({ length: agentCount }, (_, agent) => ({
      name: `agent${agent}`,
      version: '1.0.0',
      tools: Array.from({ length: toolsPerAgent }, (_, tool) => {
        const { input, output } = toolSchemas(agent, tool);
        return {
          name: `tool${tool}`,
          capability: `cap_${agent}_${tool}`,
          version: '1.2.0',
          tags: ['bench'],
          input,
          output,
          kwargs: { timeout: '5s', retry_count: 2 },
          dependencies: [
            {
              capability: `cap_${(agent + 1) % agentCount}_${tool}`,
              version: '>=1.0.0',
              tags: ['bench'],
            },
          ],
        };
      }),
    })),
  };
}

export async function run(): Promise<BenchResult[]> {
  const directory = mkdtempSync(join(tmpdir(), 'mesh-bench-generate-'));
  try {
    writeFileSync(join(directory, 'mesh.yaml'), stringify(largeSpec()));
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < rounds; round++) {
      rmSync(join(directory, 'generated'), { recursive: true, force: true });
      rmSync(join(directory, 'handlers'), { recursive: true, force: true });
      let started = performance.now();
      const result = await runGenerate({ paths: [directory], check: false, cwd: directory });
      ours.push(performance.now() - started);
      if (!result.report) throw new Error('the benchmark spec did not validate');

      started = performance.now();
      for (let agent = 0; agent < agentCount; agent++) {
        for (let tool = 0; tool < toolsPerAgent; tool++) {
          const { input, output } = toolSchemas(agent, tool);
          await compile(input as JSONSchema, `Tool${tool}Input`, {
            bannerComment: '',
            format: false,
          });
          await compile(output as JSONSchema, `Tool${tool}Output`, {
            bannerComment: '',
            format: false,
          });
        }
      }
      baseline.push(performance.now() - started);
    }
    const figure = median(ours);
    const base = median(baseline);
    return [
      {
        benchmark: `generate ${agentCount} agents x ${toolsPerAgent} tools (validate + emit + write)`,
        figure: `${(figure / 1000).toFixed(2)} s`,
        baseline: `${(base / 1000).toFixed(2)} s (json-schema-to-typescript alone, same schemas)`,
        ratio: `${(figure / base).toFixed(2)}x time`,
        note: `median of ${rounds}; goal < 5 s`,
      },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
