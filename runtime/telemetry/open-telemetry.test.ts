import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { MeshError } from '../errors/mesh-error.js';
import { openTelemetryTracing } from './open-telemetry.js';
import { ProxyCallTrace } from './proxy-call-trace.js';
import type { TracingConfig } from './tracing-config.js';

const service = { name: 'front', version: '1.2.3', instanceId: 'front-1' };

/** Keeps its spans past shutdown (which flushes them), for the assertions after it. */
class KeepingExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function tracingWith(config: Partial<TracingConfig> = {}) {
  const exporter = new KeepingExporter();
  const tracing = openTelemetryTracing(
    {
      endpoint: 'http://127.0.0.1:1/v1/traces',
      serviceName: 'front',
      sampler: 'parentbased_always_on',
      ratio: 1,
      ...config,
    },
    service,
    { exporter, immediate: true },
  );
  return { exporter, tracing };
}

const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerParent = `00-${callerTrace}-00f067aa0ba902b7-01`;

describe('openTelemetryTracing', () => {
  it('continues the caller trace and names each span by a traceparent of its own', async () => {
    const { exporter, tracing } = tracingWith();
    const server = tracing.start({
      name: 'tools/call greet',
      role: 'server',
      parent: callerParent,
    });
    expect(server.traceparent).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
    const call = new ProxyCallTrace(tracing, 'date_service', server.traceparent);
    const target = { agentId: 'clock-1', functionName: 'now', endpoint: 'http://127.0.0.1:9001' };
    const first = call.attempt(target, 0);
    first.end(new MeshError('transport', 'connection refused'));
    call.retry(1, 12.6, new MeshError('transport', 'connection refused'));
    call.failover('clock-1', new MeshError('transport', 'connection refused'));
    call.circuitOpen('clock-2');
    call.attempt({ ...target, agentId: 'clock-3' }, 1).end();
    call.end();
    server.end();
    await tracing.shutdown();

    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'tools/call now',
      'tools/call now',
      'call date_service',
      'tools/call greet',
    ]);
    const [failed, succeeded, proxy, served] = spans;
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(
      new Set([callerTrace]),
    );
    expect(served!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(proxy!.parentSpanContext?.spanId).toBe(served!.spanContext().spanId);
    expect(failed!.parentSpanContext?.spanId).toBe(proxy!.spanContext().spanId);
    expect(failed!.attributes).toMatchObject({
      'error.type': 'transport',
      'mesh.provider.agent_id': 'clock-1',
      'server.address': '127.0.0.1',
      'server.port': 9001,
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'now',
    });
    expect(failed!.status).toEqual({ code: 2, message: 'connection refused' });
    expect(succeeded!.attributes).toMatchObject({
      'mesh.attempt': 1,
      'mesh.provider.agent_id': 'clock-3',
    });
    expect(proxy!.attributes['mesh.provider.agent_id']).toBe('clock-3');
    expect(proxy!.events.map((event) => [event.name, event.attributes])).toEqual([
      ['mesh.retry', { 'mesh.attempt': 1, 'mesh.retry.delay_ms': 13, 'error.type': 'transport' }],
      ['mesh.failover', { 'mesh.provider.agent_id': 'clock-1', 'error.type': 'transport' }],
      ['mesh.circuit_open', { 'mesh.provider.agent_id': 'clock-2' }],
    ]);
    expect(served!.resource.attributes).toMatchObject({
      'service.name': 'front',
      'service.version': '1.2.3',
      'service.instance.id': 'front-1',
    });
  });

  it('starts a new trace for a missing or invalid parent', () => {
    const { tracing } = tracingWith();
    for (const parent of [undefined, 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
      const span = tracing.start({ name: 'x', role: 'server', parent });
      expect(span.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(span.traceparent).not.toContain(callerTrace);
      span.end();
    }
  });

  it('sampled out, records nothing but still carries the trace on, unsampled', async () => {
    const { exporter, tracing } = tracingWith({ sampler: 'traceidratio', ratio: 0 });
    const span = tracing.start({ name: 'root', role: 'server', parent: undefined });
    expect(span.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const child = tracing.start({ name: 'child', role: 'client', parent: span.traceparent });
    expect(child.traceparent.slice(3, 35)).toBe(span.traceparent.slice(3, 35));
    child.end();
    span.end('error');
    await tracing.shutdown();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
