/**
 * Tracing through OpenTelemetry's own SDK. Loaded only by a dynamic import when tracing is
 * configured (see start-tracing.ts): nothing here is read at an untraced agent's start-up.
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { MeshError } from '../errors/mesh-error.js';
import { attribute } from './semantic-attributes.js';
import type { TracedService } from './start-tracing.js';
import type { SpanAttributes, SpanRole, SpanStart, TraceSpan, Tracing } from './tracing.js';
import type { TracingConfig } from './tracing-config.js';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const kinds: Record<SpanRole, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

/**
 * An OpenTelemetry `SpanExporter` (e.g. the SDK's `InMemorySpanExporter`), described by its shape
 * so that the runtime's declarations name no OpenTelemetry package: the SDK is bundled inside the
 * runtime, not installed beside it.
 */
export interface OwnSpanExporter {
  export(spans: readonly unknown[], resultCallback: (result: { code: number }) => void): void;
  shutdown(): Promise<void>;
}

/** Test seams: an exporter of one's own, exported span by span. */
export interface OpenTelemetryOptions {
  readonly exporter?: OwnSpanExporter;
  /** Export each span as it ends rather than in batches (OTEL_BSP_* tune the batches). */
  readonly immediate?: boolean;
}

/**
 * Tracing over an OpenTelemetry tracer provider of its own (never the global one: a user's own
 * OpenTelemetry set-up stays theirs), exporting over OTLP/HTTP JSON to `config.endpoint`.
 * Parents come from `traceparent` strings, which the runtime carries in its call scope.
 */
export function openTelemetryTracing(
  config: TracingConfig,
  service: TracedService,
  options: OpenTelemetryOptions = {},
): Tracing {
  const exporter =
    (options.exporter as SpanExporter | undefined) ??
    new OTLPTraceExporter({ url: config.endpoint });
  const processor: SpanProcessor = options.immediate
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(exporter);
  const resource = resourceFromAttributes({
    'service.name': config.serviceName,
    'service.version': service.version,
    'service.instance.id': service.instanceId,
  }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    sampler: samplerOf(config),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('@mcp-mesh/runtime');
  return {
    start: (span) => startSpan(tracer, span),
    shutdown: () => provider.shutdown(),
  };
}

function samplerOf({ sampler, ratio }: TracingConfig): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

function startSpan(tracer: Tracer, { name, role, parent, attributes }: SpanStart): TraceSpan {
  const span = tracer.startSpan(
    name,
    { kind: kinds[role], ...(attributes ? { attributes: defined(attributes) } : {}) },
    parentContext(parent),
  );
  return new OpenSpan(span);
}

class OpenSpan implements TraceSpan {
  readonly traceparent: string;

  constructor(private readonly span: Span) {
    const context = span.spanContext();
    this.traceparent = `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
  }

  set(attributes: SpanAttributes): void {
    this.span.setAttributes(defined(attributes));
  }

  event(name: string, attributes?: SpanAttributes): void {
    this.span.addEvent(name, attributes ? defined(attributes) : undefined);
  }

  end(error?: unknown): void {
    if (error !== undefined) {
      const type =
        error instanceof MeshError
          ? error.code
          : typeof error === 'string'
            ? error
            : error instanceof Error
              ? error.name
              : 'error';
      const message = error instanceof Error ? error.message : type;
      this.span.setAttribute(attribute.errorType, type);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    this.span.end();
  }
}

// A traceparent that does not parse, or names all-zero ids, starts a new trace (W3C).
function parentContext(traceparent: string | undefined): Context {
  const match = traceparent ? traceparentPattern.exec(traceparent.trim().toLowerCase()) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  });
}

function defined(attributes: SpanAttributes): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) result[key] = value;
  return result;
}
