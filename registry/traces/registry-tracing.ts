import type { Tracing } from '@mcp-mesh/runtime/telemetry';
import { RegistryConfigError } from '../config.js';

let active: Tracing | undefined;

/** The registry's own tracing (proxied calls, heartbeats that change the topology), if on. */
export function registryTracing(): Tracing | undefined {
  return active;
}

/**
 * Turns the registry's tracing on when the standard `OTEL_*` variables name an endpoint (the
 * registry's own `/v1/traces` will do); the OpenTelemetry SDK is loaded only then. Throws
 * RegistryConfigError for values it cannot use.
 */
export async function startRegistryTracing(
  environment: NodeJS.ProcessEnv,
  version: string,
  instanceId: string,
): Promise<Tracing | undefined> {
  if (!environment.OTEL_EXPORTER_OTLP_ENDPOINT && !environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
    return undefined;
  const { startTracing } = await import('@mcp-mesh/runtime/telemetry');
  const tracing = await startTracing(
    { name: 'mcp-mesh-registry', version, instanceId },
    environment,
    RegistryConfigError,
  );
  if (!tracing) return undefined;
  active = tracing;
  return {
    start: (span) => tracing.start(span),
    async shutdown() {
      if (active === tracing) active = undefined;
      await tracing.shutdown();
    },
  };
}
