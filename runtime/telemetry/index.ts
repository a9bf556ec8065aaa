/**
 * Tracing for processes of the mesh other than agents (meshctl, the registry, tests): the
 * runtime's OpenTelemetry tracing, which agents turn on by themselves from `OTEL_*`. Importing
 * this entry loads the OpenTelemetry SDK.
 * @module @mcp-mesh/runtime/telemetry
 */
export {
  type OpenTelemetryOptions,
  type OwnSpanExporter,
  openTelemetryTracing,
} from './open-telemetry.js';
export { startTracing, type TracedService } from './start-tracing.js';
export type { SpanAttributes, SpanRole, SpanStart, TraceSpan, Tracing } from './tracing.js';
export { activeTracing } from './tracing.js';
export { type SamplerName, type TracingConfig, tracingConfig } from './tracing-config.js';
