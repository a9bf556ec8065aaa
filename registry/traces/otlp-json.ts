import type { SpanValue, StoredSpan } from './stored-span.js';

/**
 * The part of an OTLP/HTTP JSON `ExportTraceServiceRequest` the registry reads (see
 * opentelemetry-proto's trace.proto and the OTLP/JSON mapping: ids are hex strings, 64-bit
 * integers may be strings). Checked by fastify against {@link exportTraceRequestSchema}.
 */
export interface ExportTraceRequest {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly KeyValue[] };
    readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[];
  }[];
}

interface KeyValue {
  readonly key: string;
  readonly value?: AnyValue;
}

interface AnyValue {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly arrayValue?: { readonly values?: readonly AnyValue[] };
}

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind?: number;
  readonly startTimeUnixNano: string | number;
  readonly endTimeUnixNano: string | number;
  readonly attributes?: readonly KeyValue[];
  readonly events?: readonly {
    readonly name: string;
    readonly timeUnixNano: string | number;
    readonly attributes?: readonly KeyValue[];
  }[];
  readonly status?: { readonly code?: number; readonly message?: string };
}

const hexId = (length: number) => ({ type: 'string', pattern: `^[0-9a-fA-F]{${length}}$` });
const nanos = { type: ['string', 'integer'], pattern: '^[0-9]+$', minimum: 0 };
const keyValues = {
  type: 'array',
  items: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
};

/** JSON Schema of what {@link decodeExportTraceRequest} needs; other OTLP fields pass. */
export const exportTraceRequestSchema = {
  type: 'object',
  properties: {
    resourceSpans: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          resource: { type: 'object', properties: { attributes: keyValues } },
          scopeSpans: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                spans: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['traceId', 'spanId', 'name', 'startTimeUnixNano', 'endTimeUnixNano'],
                    properties: {
                      traceId: hexId(32),
                      spanId: hexId(16),
                      parentSpanId: { anyOf: [hexId(16), { const: '' }] },
                      name: { type: 'string' },
                      kind: { type: 'integer', minimum: 0, maximum: 5 },
                      startTimeUnixNano: nanos,
                      endTimeUnixNano: nanos,
                      attributes: keyValues,
                      events: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['name', 'timeUnixNano'],
                          properties: {
                            name: { type: 'string' },
                            timeUnixNano: nanos,
                            attributes: keyValues,
                          },
                        },
                      },
                      status: {
                        type: 'object',
                        properties: {
                          code: { type: 'integer', minimum: 0, maximum: 2 },
                          message: { type: 'string' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const kinds: StoredSpan['kind'][] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const statuses: StoredSpan['status'][] = ['unset', 'ok', 'error'];

/** The spans of one (schema-checked) OTLP/JSON export request, decoded. */
export function decodeExportTraceRequest(request: ExportTraceRequest): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service =
      typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown';
    const instance = resource['service.instance.id'];
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const start = nanosToMs(span.startTimeUnixNano);
        const status = statuses[span.status?.code ?? 0] ?? 'unset';
        spans.push({
          trace_id: span.traceId.toLowerCase(),
          span_id: span.spanId.toLowerCase(),
          ...(span.parentSpanId ? { parent_span_id: span.parentSpanId.toLowerCase() } : {}),
          name: span.name,
          kind: kinds[span.kind ?? 0] ?? 'unspecified',
          service,
          ...(typeof instance === 'string' ? { instance } : {}),
          start_ms: start,
          duration_ms: Math.max(0, nanosToMs(span.endTimeUnixNano) - start),
          status,
          ...(span.status?.message ? { status_message: span.status.message } : {}),
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name,
            time_ms: nanosToMs(event.timeUnixNano),
            attributes: attributesOf(event.attributes),
          })),
        });
      }
    }
  }
  return spans;
}

// Nanoseconds since the epoch pass 2^53: split the string so milliseconds keep their fraction.
function nanosToMs(value: string | number): number {
  const text = String(value);
  if (text.length <= 6) return Number(text) / 1e6;
  return Number(text.slice(0, -6)) + Number(text.slice(-6)) / 1e6;
}

function attributesOf(list: readonly KeyValue[] | undefined): Record<string, SpanValue> {
  const result: Record<string, SpanValue> = {};
  for (const { key, value } of list ?? []) result[key] = anyValue(value);
  return result;
}

function anyValue(value: AnyValue | undefined): SpanValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  return null;
}
