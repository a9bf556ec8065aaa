import type { StoredSpan } from './stored-span.js';

/** One trace in the list of recent ones. */
export interface TraceSummary {
  readonly trace_id: string;
  /** The root span's name (the earliest span's when the root is not here). */
  readonly name: string;
  readonly service: string;
  readonly start_ms: number;
  /** From the earliest start to the latest end among its spans. */
  readonly duration_ms: number;
  readonly span_count: number;
  readonly error_count: number;
}

export interface SpanStoreLimits {
  /** Spans kept in all; the oldest traces go first. */
  readonly maxSpans: number;
  /** Spans kept per trace; more are dropped (and counted). */
  readonly maxSpansPerTrace: number;
}

/**
 * The recent spans the registry received over OTLP, bounded: when there are more than
 * `maxSpans`, whole traces leave, least recently added first, so a laptop mesh needs no
 * collector to look at its last calls. In memory only: a restart forgets them.
 */
export class SpanStore {
  private readonly traces = new Map<string, StoredSpan[]>();
  private size = 0;
  /** Spans not kept: over a trace's limit, or repeats of a span id. */
  dropped = 0;
  private readonly listeners = new Set<(spans: readonly StoredSpan[]) => void>();

  constructor(private readonly limits: SpanStoreLimits) {}

  /** Adds spans (a repeat of a span already kept is ignored) and evicts the oldest traces. */
  add(spans: readonly StoredSpan[]): void {
    const added: StoredSpan[] = [];
    for (const span of spans) {
      let trace = this.traces.get(span.trace_id);
      if (trace === undefined) {
        trace = [];
      } else {
        // Recently added traces are kept longest: move it to the end of the map's order.
        this.traces.delete(span.trace_id);
      }
      this.traces.set(span.trace_id, trace);
      if (
        trace.length >= this.limits.maxSpansPerTrace ||
        trace.some((kept) => kept.span_id === span.span_id)
      ) {
        this.dropped++;
        continue;
      }
      trace.push(span);
      added.push(span);
      this.size++;
    }
    for (const [traceId, trace] of this.traces) {
      if (this.size <= this.limits.maxSpans) break;
      this.traces.delete(traceId);
      this.size -= trace.length;
    }
    if (added.length > 0) for (const listener of this.listeners) listener(added);
  }

  /** The spans of one trace, earliest first; empty when unknown (or evicted). */
  trace(traceId: string): StoredSpan[] {
    return [...(this.traces.get(traceId.toLowerCase()) ?? [])].sort(
      (a, b) => a.start_ms - b.start_ms,
    );
  }

  /** The most recent traces (by latest start), newest first. */
  recent(limit: number): TraceSummary[] {
    const summaries = [...this.traces.entries()].map(([traceId, spans]) =>
      summarise(traceId, spans),
    );
    summaries.sort((a, b) => b.start_ms - a.start_ms);
    return summaries.slice(0, limit);
  }

  /** Every span kept, for statistics over them. */
  *spans(): Iterable<StoredSpan> {
    for (const trace of this.traces.values()) yield* trace;
  }

  get spanCount(): number {
    return this.size;
  }

  /** Calls `listener` with the spans of every `add` that kept some; returns the unsubscribe. */
  subscribe(listener: (spans: readonly StoredSpan[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function summarise(traceId: string, spans: readonly StoredSpan[]): TraceSummary {
  const ids = new Set(spans.map((span) => span.span_id));
  const earliest = spans.reduce((a, b) => (b.start_ms < a.start_ms ? b : a));
  const root =
    spans.find((span) => span.parent_span_id === undefined) ??
    spans.find((span) => !ids.has(span.parent_span_id!)) ??
    earliest;
  const end = Math.max(...spans.map((span) => span.start_ms + span.duration_ms));
  return {
    trace_id: traceId,
    name: root.name,
    service: root.service,
    start_ms: earliest.start_ms,
    duration_ms: end - earliest.start_ms,
    span_count: spans.length,
    error_count: spans.filter((span) => span.status === 'error').length,
  };
}
