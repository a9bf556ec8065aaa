/**
 * Traces over real processes: a test client (OpenTelemetry SDK, as a traced caller) calls front,
 * which calls middle, which calls back, each agent a process of its own exporting OTLP/HTTP JSON
 * to the registry's receiver (`POST /v1/traces`). Front's preferred route provider is registered
 * at a port nobody listens on (the call fails over to the live middle); a fault proxy in front
 * of back answers the first call 503 (middle retries). The registry's store must then hold one
 * trace with every span: one root, every parent present, children inside their parents.
 *
 *   test client ──► front ──► (dead middle ✕) ──► middle ──► (503 ✕) ──► back
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../runtime/agent/define-agent.js';
import { openTelemetryTracing } from '../../../runtime/telemetry/open-telemetry.js';
import { type AgentProcess, startAgentProcess } from '../runtime/support/agent-process.js';
import { useCleanup } from '../runtime/support/cleanup.js';
import { startFaultProxy } from '../runtime/support/fault-proxy.js';
import { eventually, fastAgentEnv, freePort, startTestRegistry } from '../runtime/support/mesh.js';
import { registerAt } from '../runtime/support/registration.js';
import { unique } from '../support/registry-client.js';
import { type ChainRole, chainMetadata } from './fixtures/chain-metadata.js';

const chainModule = 'test/e2e/tracing/fixtures/chain-agent.ts';

interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind: string;
  service: string;
  start_ms: number;
  duration_ms: number;
  status: string;
  depth: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

// Spans of different processes carry each process's own clock reading (epoch at start-up plus
// a monotonic clock): allow this much disagreement between them when checking nesting.
const clockSkewMs = 5;

describe('OpenTelemetry traces across agents', { timeout: 90_000 }, () => {
  const cleanup = useCleanup();

  it('one trace for a three-agent chain with a retry and a fail-over', async () => {
    // The registry traces itself too (proxied calls, heartbeats that change the topology),
    // exporting to its own receiver.
    const registryPort = await freePort();
    const registry = await startTestRegistry(cleanup, {
      port: registryPort,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${registryPort}`,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    const prefix = unique('trace');
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: registry.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    const agent = async (role: ChainRole, env: Record<string, string>) =>
      cleanup.defer(
        await startAgentProcess({
          module: chainModule,
          env: { ...fastAgentEnv, ...otel, TRACE_ROLE: role, TRACE_PREFIX: prefix, ...env },
        }),
        (running) => running.stop(),
      );
    const definition = (role: ChainRole, tags: string[] = []): AgentDefinition => {
      const metadata = chainMetadata(role, prefix);
      return {
        metadata: { ...metadata, tools: metadata.tools.map((tool) => ({ ...tool, tags })) },
      } as unknown as AgentDefinition;
    };

    // Started side by side (each is a process of its own). back runs standalone: the registry
    // knows it only behind the fault proxy.
    const [back, middle, front, deadPort] = await Promise.all([
      agent('back', { MCP_MESH_REGISTRY_URL: 'off' }),
      agent('middle', {
        MCP_MESH_REGISTRY_URL: registry.url,
        MCP_MESH_AGENT_ID: `${prefix}-middle-1`,
      }),
      agent('front', {
        MCP_MESH_REGISTRY_URL: registry.url,
        MCP_MESH_AGENT_ID: `${prefix}-front-1`,
      }),
      freePort(),
    ]);
    const faults = cleanup.defer(
      await startFaultProxy(back.url, { kind: 'fail-tool-calls', status: 503, count: 1 }),
      (proxy) => proxy.close(),
    );
    await registerAt(cleanup, registry, `${prefix}-back-1`, definition('back'), faults.port, {
      retry_count: 2,
      retry_delay: 0.01,
    });
    // The preferred route provider: registered, healthy, and not listening.
    await registerAt(
      cleanup,
      registry,
      `${prefix}-middle-dead`,
      definition('middle', ['fast']),
      deadPort,
    );
    const agents: AgentProcess[] = [front, middle, back];
    await eventually(
      'front wired to both route providers, middle to back',
      async () => {
        const [frontWiring, middleWiring] = await Promise.all(
          [front, middle].map(async (running) =>
            JSON.stringify(await (await fetch(`${running.url}/metadata`)).json()),
          ),
        );
        return (
          frontWiring!.includes(`${prefix}-middle-dead`) &&
          frontWiring!.includes(`${prefix}-middle-1`) &&
          middleWiring!.includes(`${prefix}-back-1`)
        );
      },
      15_000,
    );

    const tracing = openTelemetryTracing(
      {
        endpoint: `${registry.url}/v1/traces`,
        serviceName: 'trace-test',
        sampler: 'always_on',
        ratio: 1,
      },
      { name: 'trace-test', version: '1.0.0', instanceId: 'trace-test' },
      { immediate: true },
    );
    const root = tracing.start({ name: 'test calls plan', role: 'client', parent: undefined });
    const traceId = root.traceparent.slice(3, 35);
    // Through the registry's relay, as meshctl call goes.
    const client = cleanup.defer(
      new Client(
        { name: 'trace-test', version: '1.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      ),
      (connected) => connected.close(),
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${registry.url}/proxy/${prefix}-front-1/mcp`), {
        requestInit: { headers: { traceparent: root.traceparent } },
      }),
    );
    const result = await client.callTool({ name: 'plan', arguments: { city: 'Lima' } });
    root.end();
    await tracing.shutdown();
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    expect(faults.toolCalls().map((call) => call.outcome)).toEqual(['failed', 'forwarded']);

    const expected = 11;
    const spans = await eventually(
      `all ${expected} spans of trace ${traceId} at the registry`,
      async () => {
        const answer = await fetch(`${registry.url}/traces/${traceId}`);
        if (answer.status !== 200) return undefined;
        const { spans } = (await answer.json()) as { spans: Span[] };
        const onPath = spans.filter(
          (span) => !span.name.startsWith('proxy ') || span.name === 'proxy tools/call',
        );
        return onPath.length >= expected ? spans : undefined;
      },
      10_000,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\n${agents.map((a) => a.logs().slice(-2_000)).join('\n---\n')}`,
      );
    });

    // One trace, every span present. The relay's spans of the session's other requests
    // (initialize, notifications) are the root's children too; the call's own is on the path.
    expect(new Set(spans.map((span) => span.trace_id))).toEqual(new Set([traceId]));
    const tree = spans
      .filter((span) => !span.name.startsWith('proxy ') || span.name === 'proxy tools/call')
      .map((span) => `${'  '.repeat(span.depth)}${span.service}: ${span.name}`);
    expect(tree).toEqual([
      'trace-test: test calls plan',
      '  mcp-mesh-registry: proxy tools/call',
      `    ${prefix}-front: tools/call plan`,
      `      ${prefix}-front: call ${prefix}-route`,
      `        ${prefix}-front: tools/call route`,
      `        ${prefix}-front: tools/call route`,
      `          ${prefix}-middle: tools/call route`,
      `            ${prefix}-middle: call ${prefix}-forecast`,
      `              ${prefix}-middle: tools/call forecast`,
      `              ${prefix}-middle: tools/call forecast`,
      `                ${prefix}-back: tools/call forecast`,
    ]);
    // Exactly one root; every parent id exists.
    const byId = new Map(spans.map((span) => [span.span_id, span]));
    expect(spans.filter((span) => span.parent_span_id === undefined)).toHaveLength(1);
    for (const span of spans) {
      if (span.parent_span_id === undefined) continue;
      const parent = byId.get(span.parent_span_id);
      expect(parent, `parent of ${span.name}`).toBeDefined();
      // Durations nest: a child starts after its parent and ends before it.
      expect(span.start_ms).toBeGreaterThanOrEqual(parent!.start_ms - clockSkewMs);
      expect(span.start_ms + span.duration_ms).toBeLessThanOrEqual(
        parent!.start_ms + parent!.duration_ms + clockSkewMs,
      );
    }

    // The fail-over: the dead provider's attempt failed (transport), an event says why.
    const [frontProxy, middleProxy] = spans.filter((span) => span.name.startsWith('call '));
    const [deadAttempt, liveAttempt] = spans.filter(
      (span) => span.name === 'tools/call route' && span.kind === 'client',
    );
    expect(deadAttempt!.attributes).toMatchObject({
      'mesh.provider.agent_id': `${prefix}-middle-dead`,
      'error.type': 'transport',
      'server.port': deadPort,
    });
    expect(deadAttempt!.status).toBe('error');
    expect(liveAttempt!.attributes).toMatchObject({
      'mesh.provider.agent_id': `${prefix}-middle-1`,
    });
    expect(frontProxy!.events.map((event) => event.name)).toEqual(['mesh.failover']);
    expect(frontProxy!.attributes['mesh.provider.agent_id']).toBe(`${prefix}-middle-1`);
    // The retry: the first attempt at back was answered 503, the second went through.
    const backAttempts = spans.filter(
      (span) => span.name === 'tools/call forecast' && span.kind === 'client',
    );
    expect(backAttempts.map((span) => span.status)).toEqual(['error', 'unset']);
    expect(backAttempts.map((span) => span.attributes['mesh.attempt'])).toEqual([0, 1]);
    expect(
      middleProxy!.events.map((event) => [event.name, event.attributes['mesh.attempt']]),
    ).toEqual([['mesh.retry', 1]]);
    // The registry's heartbeats that changed the topology are traces of their own.
    const { traces } = (await (await fetch(`${registry.url}/traces?limit=500`)).json()) as {
      traces: { service: string; name: string }[];
    };
    expect(traces).toContainEqual(
      expect.objectContaining({ service: 'mcp-mesh-registry', name: 'heartbeat' }),
    );
    // Bad input: a 4xx with an ErrorResponse body, and nothing of it stored (a request whose
    // second span is malformed keeps not even its first).
    const halfGood = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'e'.repeat(32),
                  spanId: 'e'.repeat(16),
                  name: 'fine',
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                },
                { traceId: 'xyz', spanId: 'e'.repeat(16), name: 'broken' },
              ],
            },
          ],
        },
      ],
    };
    const refusals = await Promise.all(
      [
        [JSON.stringify(halfGood), 'application/json'],
        ['not json', 'application/json'],
        ['binary', 'application/x-protobuf'],
      ].map(async ([body, type]) => {
        const answer = await fetch(`${registry.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': type! },
          body: body!,
        });
        return [answer.status, ((await answer.json()) as { error: string }).error];
      }),
    );
    expect(refusals).toEqual([
      [400, 'bad_request'],
      [400, 'bad_request'],
      [400, 'bad_request'],
    ]);
    for (const [path, status] of [
      [`/traces/${'e'.repeat(32)}`, 404],
      ['/traces/xyz', 400],
      ['/traces?limit=0', 400],
    ] as const) {
      const answer = await fetch(`${registry.url}${path}`);
      expect([path, answer.status]).toEqual([path, status]);
      expect(((await answer.json()) as { message: string }).message).toBeTruthy();
    }
    // Served spans carry the semantic attributes of an MCP tool call.
    expect(spans.find((span) => span.service === `${prefix}-back`)!.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'forecast',
      'gen_ai.operation.name': 'execute_tool',
      'mesh.agent.id': expect.any(String),
    });
  });
});
