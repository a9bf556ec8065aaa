import { describe, expect, it } from 'vitest';
import { edgeTraffic } from '../dashboard/edge-traffic.js';
import { callTree } from './call-tree.js';
import { decodeExportTraceRequest } from './otlp-json.js';
import { SpanStore } from './span-store.js';
import type { StoredSpan } from './stored-span.js';

const trace = (n: number) => n.toString(16).padStart(32, '0');
const spanId = (n: number) => n.toString(16).padStart(16, '0');

function span(
  traceNo: number,
  id: number,
  parent?: number,
  extra: Partial<StoredSpan> = {},
): StoredSpan {
  return {
    trace_id: trace(traceNo),
    span_id: spanId(id),
    ...(parent === undefined ? {} : { parent_span_id: spanId(parent) }),
    name: `span ${id}`,
    kind: 'internal',
    service: 'svc',
    start_ms: 1_000 + id,
    duration_ms: 10,
    status: 'unset',
    attributes: {},
    events: [],
    ...extra,
  };
}

describe('decodeExportTraceRequest', () => {
  it('reads OTLP/JSON: hex ids, nanosecond strings past 2^53, attributes, events, status', () => {
    const [decoded] = decodeExportTraceRequest({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'greeter' } },
              { key: 'service.instance.id', value: { stringValue: 'greeter-1' } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
                  spanId: '00F067AA0BA902B7',
                  parentSpanId: '',
                  name: 'tools/call greet',
                  kind: 2,
                  startTimeUnixNano: '1796643723454123456',
                  endTimeUnixNano: '1796643723456623456',
                  attributes: [
                    { key: 'mesh.attempt', value: { intValue: '1' } },
                    { key: 'ok', value: { boolValue: true } },
                    { key: 'list', value: { arrayValue: { values: [{ doubleValue: 1.5 }] } } },
                  ],
                  events: [{ name: 'mesh.retry', timeUnixNano: '1796643723455000000' }],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decoded).toMatchObject({
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      kind: 'server',
      service: 'greeter',
      instance: 'greeter-1',
      start_ms: 1796643723454.1235,
      status: 'error',
      status_message: 'boom',
      attributes: { 'mesh.attempt': 1, ok: true, list: [1.5] },
      events: [{ name: 'mesh.retry', time_ms: 1796643723455, attributes: {} }],
    });
    expect(decoded!.parent_span_id).toBeUndefined();
    expect(decoded!.duration_ms).toBeCloseTo(2.5, 6);
  });
});

describe('SpanStore', () => {
  it('evicts whole traces, least recently added first, and ignores repeats', () => {
    const store = new SpanStore({ maxSpans: 4, maxSpansPerTrace: 3 });
    store.add([span(1, 1), span(1, 2, 1), span(2, 3)]);
    store.add([span(1, 2, 1)]); // a repeat: dropped, but trace 1 is now the most recent
    store.add([span(3, 4), span(3, 5, 4)]);
    expect(store.trace(trace(2))).toEqual([]);
    expect(store.trace(trace(1)).map((s) => s.span_id)).toEqual([spanId(1), spanId(2)]);
    expect(store.spanCount).toBe(4);
    expect(store.dropped).toBe(1);
    store.add([span(3, 6, 4), span(3, 7, 4)]);
    expect(store.trace(trace(3))).toHaveLength(3);
    expect(store.dropped).toBe(2);
    expect(store.recent(10).map((summary) => summary.trace_id)).toEqual([trace(3)]);
  });

  it('summarises a trace by its root', () => {
    const store = new SpanStore({ maxSpans: 100, maxSpansPerTrace: 100 });
    store.add([span(1, 2, 1, { status: 'error' }), span(1, 1, undefined, { duration_ms: 50 })]);
    expect(store.recent(1)).toEqual([
      {
        trace_id: trace(1),
        name: 'span 1',
        service: 'svc',
        start_ms: 1_001,
        duration_ms: 50,
        span_count: 2,
        error_count: 1,
      },
    ]);
  });
});

describe('callTree', () => {
  it('orders depth-first, siblings by start, spans with a missing parent as roots', () => {
    const tree = callTree([span(1, 5, 1), span(1, 3, 1), span(1, 1), span(1, 4, 3), span(1, 9, 8)]);
    expect(tree.map((s) => [s.span_id.slice(-1), s.depth])).toEqual([
      ['1', 0],
      ['3', 1],
      ['4', 2],
      ['5', 1],
      ['9', 0],
    ]);
  });
});

describe('edgeTraffic', () => {
  it('counts client attempt spans per caller, provider and capability within the window', () => {
    const attempt = (id: number, duration: number, status: StoredSpan['status'], start = 10_000) =>
      span(1, id, undefined, {
        kind: 'client',
        instance: 'front-1',
        start_ms: start,
        duration_ms: duration,
        status,
        attributes: { 'mesh.provider.agent_id': 'clock-1', 'mesh.capability': 'date' },
      });
    const edges = edgeTraffic(
      [
        attempt(1, 1, 'unset'),
        attempt(2, 3, 'error'),
        attempt(3, 2, 'unset'),
        attempt(4, 9, 'unset', 100),
      ],
      10_000,
      15_000,
    );
    expect(edges).toEqual([
      {
        caller: 'front-1',
        provider: 'clock-1',
        capability: 'date',
        calls: 3,
        errors: 1,
        rate: 0.3,
        p50_ms: 2,
        p99_ms: 3,
      },
    ]);
  });
});
