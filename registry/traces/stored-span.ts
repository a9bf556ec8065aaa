/** Attribute values as the store keeps them (OTLP's AnyValue, flattened). */
export type SpanValue = string | number | boolean | readonly SpanValue[] | null;

/** One span as the registry keeps it: OTLP's fields, decoded, with times in milliseconds. */
export interface StoredSpan {
  readonly trace_id: string;
  readonly span_id: string;
  /** Absent for a root span. */
  readonly parent_span_id?: string;
  readonly name: string;
  readonly kind: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** `service.name` of the process that recorded it. */
  readonly service: string;
  /** `service.instance.id`: the agent id, for the mesh's own processes. */
  readonly instance?: string;
  /** Epoch milliseconds (fractional). */
  readonly start_ms: number;
  readonly duration_ms: number;
  readonly status: 'unset' | 'ok' | 'error';
  readonly status_message?: string;
  readonly attributes: Readonly<Record<string, SpanValue>>;
  readonly events: readonly {
    readonly name: string;
    readonly time_ms: number;
    readonly attributes: Readonly<Record<string, SpanValue>>;
  }[];
}
