/** The root span of one traced meshctl call. */
export interface TracedCall {
  readonly traceId: string;
  /** Sent with the call: the agent's span becomes this span's child. */
  readonly traceparent: string;
  /** Ends the span (failed when `error` is given), exports it, and prints the trace id. */
  end(error?: unknown): Promise<void>;
}

/**
 * Starts the root span of a traced call, exported over OTLP/HTTP to `OTEL_EXPORTER_OTLP_*`
 * when set, else to the registry's receiver (`registryUrl/v1/traces`). The OpenTelemetry SDK
 * is loaded only here, for `--trace`.
 */
export async function traceCall(name: string, registryUrl: string): Promise<TracedCall> {
  const { openTelemetryTracing, tracingConfig } = await import('@mcp-mesh/runtime/telemetry');
  const config = tracingConfig(process.env, 'meshctl') ?? {
    endpoint: `${registryUrl}/v1/traces`,
    serviceName: 'meshctl',
    sampler: 'always_on' as const,
    ratio: 1,
  };
  // A traced call is asked for: sampled whatever OTEL_TRACES_SAMPLER says.
  const tracing = openTelemetryTracing(
    { ...config, sampler: 'always_on' },
    { name: 'meshctl', version: '0', instanceId: `meshctl-${process.pid}` },
    { immediate: true },
  );
  const span = tracing.start({ name, role: 'client', parent: undefined });
  const traceId = span.traceparent.slice(3, 35);
  return {
    traceId,
    traceparent: span.traceparent,
    async end(error) {
      span.end(error);
      await tracing.shutdown();
      console.error(`trace ${traceId} (meshctl trace ${traceId})`);
    },
  };
}
