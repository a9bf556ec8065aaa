import type { EnvironmentErrorType } from '../config/environment.js';
import { activeTracing, setActiveTracing, type Tracing } from './tracing.js';
import { tracingConfig } from './tracing-config.js';

/** Who the spans of this process are from. */
export interface TracedService {
  /** The default `service.name` (`OTEL_SERVICE_NAME` wins). */
  readonly name: string;
  readonly version: string;
  /** `service.instance.id`: the agent id of this replica. */
  readonly instanceId: string;
}

/**
 * Turns tracing on for this process when the `OTEL_*` variables configure it (see
 * {@link tracingConfig}), loading the OpenTelemetry SDK only then: with tracing off this returns
 * undefined at once and the SDK's modules are never read. A process with tracing already on
 * keeps it (several agents in one process share one exporter). Throws `errorType` for unusable
 * values.
 */
export async function startTracing(
  service: TracedService,
  environment: NodeJS.ProcessEnv,
  errorType?: EnvironmentErrorType,
): Promise<Tracing | undefined> {
  const config = tracingConfig(environment, service.name, errorType);
  if (config === undefined) return undefined;
  const running = activeTracing();
  // The first owner shuts it down; the others only stop using it.
  if (running) return { start: (span) => running.start(span), shutdown: async () => {} };
  const { openTelemetryTracing } = await import('./open-telemetry.js');
  const tracing = openTelemetryTracing(config, service);
  setActiveTracing(tracing);
  return {
    start: (span) => tracing.start(span),
    async shutdown() {
      if (activeTracing() === tracing) setActiveTracing(undefined);
      await tracing.shutdown();
    },
  };
}
