/** Values a span attribute may take; undefined ones are left out. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** The part of the call a span stands for, as OpenTelemetry's span kinds. */
export type SpanRole = 'server' | 'client' | 'internal';

/** One span being recorded (or, when sampled out, only carrying the trace context on). */
export interface TraceSpan {
  /** The W3C `traceparent` naming this span: what the next hop receives as its parent. */
  readonly traceparent: string;
  /** Adds attributes (e.g. the provider finally chosen). */
  set(attributes: SpanAttributes): void;
  /** Records something that happened during the span (a retry, a fail-over). */
  event(name: string, attributes?: SpanAttributes): void;
  /**
   * Ends the span. With `error`, it ends failed: status ERROR, `error.type` its code (a
   * {@link MeshError}'s code, or the string given), the message as the status description.
   */
  end(error?: unknown): void;
}

/** What a span starts with. */
export interface SpanStart {
  readonly name: string;
  readonly role: SpanRole;
  /** The parent's `traceparent`; absent or invalid starts a new trace. */
  readonly parent: string | undefined;
  readonly attributes?: SpanAttributes;
}

/** The tracing of one process: starts spans and exports them. */
export interface Tracing {
  start(span: SpanStart): TraceSpan;
  /** Exports what is still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * The tracing of this process, or undefined when tracing is off (no `OTEL_*` endpoint set):
 * then the call path does nothing else, and the OpenTelemetry SDK is never loaded.
 */
export function activeTracing(): Tracing | undefined {
  return active;
}

/** Makes `tracing` the process's tracing (undefined turns it off). */
export function setActiveTracing(tracing: Tracing | undefined): void {
  active = tracing;
}
