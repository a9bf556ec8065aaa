// Generation of a large spec: 100 agents x 10 tools, each tool with input and output schemas
// and one dependency. Baseline: the same 2,000 JSON Schemas through json-schema-to-typescript
// alone, the conversion at the heart of generation, measured in the same run.
// Then an OpenAPI document of 200 operations (100 paths x GET and POST, with path and query
// parameters and JSON bodies), beside the YAML spec of the same 200 tools, same run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const openApiPaths = 100;

/** 200 operations: per path a GET (path + query parameters) and a POST (JSON body), both JSON answers. */
export function largeOpenApiDocument(): object {
  const paths: Record<string, unknown> = {};
  for (let index = 0; index < openApiPaths; index++) {
    const { input, output } = toolSchemas(index, index);
    paths[`/things${index}/{thingId}`] = {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: `getThing${index}`,
        parameters: [
          { name: 'query', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: output } } },
        },
      },
      post: {
        operationId: `postThing${index}`,
        requestBody: { required: true, content: { 'application/json': { schema: input } } },
        responses: {
          '201': { description: 'ok', content: { 'application/json': { schema: output } } },
        },
        'x-mesh': { kwargs: { timeout: '5s', retry_count: 2 } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Bench Api', version: '1.0.0' },
    servers: [{ url: 'http://127.0.0.1:9/api' }],
    paths,
  };
}

/** The YAML spec of the same 200 tools the document maps to (same input and output schemas). */
export function equivalentYamlSpec(): object {
  const tools = [];
  for (let index = 0; index < openApiPaths; index++) {
    const { input, output } = toolSchemas(index, index);
    const thingId = { type: 'string' };
    tools.push(
      {
        name: `getThing${index}`,
        input: {
          type: 'object',
          properties: {
            thingId,
            query: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 100 },
          },
          required: ['thingId', 'query'],
          additionalProperties: false,
        },
        output,
        annotations: { readOnlyHint: true },
      },
      {
        name: `postThing${index}`,
        input: {
          type: 'object',
          properties: { thingId, body: input },
          required: ['thingId', 'body'],
          additionalProperties: false,
        },
        output,
        kwargs: { timeout: '5s', retry_count: 2 },
      },
    );
  }
  return { mesh: 1, agents: [{ name: 'bench-api', version: '1.0.0', tools }] };
}

async function timeGenerate(directory: string, file: string, text: string): Promise<number> {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, file), text);
  const started = performance.now();
  const result = await runGenerate({
    paths: [join(directory, file)],
    check: false,
    cwd: directory,
  });
  const elapsed = performance.now() - started;
  if (!result.report) throw new Error(`the benchmark spec ${file} did not validate`);
  return elapsed;
}

async function runOpenApi(): Promise<BenchResult> {
  const directory = mkdtempSync(join(tmpdir(), 'mesh-bench-openapi-'));
  try {
    const document = JSON.stringify(largeOpenApiDocument());
    const yaml = stringify(equivalentYamlSpec());
    const ours: number[] = [];
    const baseline: number[] = [];
    // One untimed round first: both paths load their modules (swagger-parser, openapi-typescript).
    await timeGenerate(join(directory, 'openapi'), 'api.openapi.json', document);
    for (let round = 0; round < rounds; round++) {
      ours.push(await timeGenerate(join(directory, 'openapi'), 'api.openapi.json', document));
      baseline.push(await timeGenerate(join(directory, 'yaml'), 'mesh.yaml', yaml));
    }
    const figure = median(ours);
    const base = median(baseline);
    return {
      benchmark: `generate an OpenAPI document of ${openApiPaths * 2} operations (parse + dereference + map + emit REST bodies and types + write)`,
      figure: `${(figure / 1000).toFixed(2)} s`,
      baseline: `${(base / 1000).toFixed(2)} s (the YAML spec of the same ${openApiPaths * 2} tools)`,
      ratio: `${(figure / base).toFixed(2)}x time`,
      note: `median of ${rounds}`,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  return [...(await runYaml()), await runOpenApi()];
}

async function runYaml(): Promise<BenchResult[]> {
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
