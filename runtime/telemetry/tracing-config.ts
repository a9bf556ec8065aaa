import {
  EnvironmentError,
  type EnvironmentErrorType,
  readEnvironment,
} from '../config/environment.js';

/** The samplers of OpenTelemetry's `OTEL_TRACES_SAMPLER`. */
export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof samplerNames)[number];

/** Tracing settings, read once from the standard `OTEL_*` variables. */
export interface TracingConfig {
  /** Where spans go: the full OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly endpoint: string;
  /** `service.name` of every span of this process. */
  readonly serviceName: string;
  readonly sampler: SamplerName;
  /** The ratio of the `*traceidratio` samplers, 0..1. */
  readonly ratio: number;
}

/**
 * Tracing settings from the standard OpenTelemetry variables, or undefined when tracing is off:
 * off unless `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (`/v1/traces` appended) is set, and off again with `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none`. `OTEL_SERVICE_NAME` names the service (default
 * `defaultServiceName`); `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` choose the sampler
 * (default `parentbased_always_on`). Spans travel as OTLP/HTTP JSON, so
 * `OTEL_EXPORTER_OTLP_PROTOCOL` may be unset or `http/json`. Throws `errorType` for values it
 * cannot use.
 *
 * @example
 * // OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:8000 (the registry keeps recent spans)
 * const config = tracingConfig(process.env, 'greeter');
 */
export function tracingConfig(
  environment: NodeJS.ProcessEnv,
  defaultServiceName: string,
  errorType: EnvironmentErrorType = EnvironmentError,
): TracingConfig | undefined {
  const env = readEnvironment(environment, errorType);
  if (env.boolean('OTEL_SDK_DISABLED', false)) return undefined;
  const exporters = (env.text('OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((e) => e.trim());
  if (exporters.includes('none')) return undefined;
  const unknownExporter = exporters.find((exporter) => exporter !== 'otlp');
  if (unknownExporter !== undefined) {
    throw new errorType(
      'OTEL_TRACES_EXPORTER',
      `OTEL_TRACES_EXPORTER=${unknownExporter} is not supported; write otlp or none`,
    );
  }
  const tracesEndpoint = env.text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = env.text('OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint =
    tracesEndpoint ??
    (baseEndpoint === undefined ? undefined : `${baseEndpoint.replace(/\/+$/, '')}/v1/traces`);
  if (endpoint === undefined) return undefined;
  const variable =
    tracesEndpoint === undefined
      ? 'OTEL_EXPORTER_OTLP_ENDPOINT'
      : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
  if (!/^https?:\/\/[^/]/.test(endpoint)) {
    throw new errorType(
      variable,
      `${variable}=${tracesEndpoint ?? baseEndpoint} is not an http:// or https:// URL`,
    );
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const protocol = env.text(name);
    if (protocol !== undefined && protocol !== 'http/json') {
      throw new errorType(
        name,
        `${name}=${protocol} is not supported; the mesh exports OTLP/HTTP JSON: write http/json or leave it unset`,
      );
    }
  }
  const sampler = (env.text('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on') as SamplerName;
  if (!samplerNames.includes(sampler)) {
    throw new errorType(
      'OTEL_TRACES_SAMPLER',
      `OTEL_TRACES_SAMPLER=${sampler} is not a sampler; write one of ${samplerNames.join(', ')}`,
    );
  }
  const ratioText = env.text('OTEL_TRACES_SAMPLER_ARG');
  const ratio = ratioText === undefined ? 1 : Number(ratioText);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new errorType(
      'OTEL_TRACES_SAMPLER_ARG',
      `OTEL_TRACES_SAMPLER_ARG=${ratioText} is not a ratio; write a number from 0 to 1`,
    );
  }
  return {
    endpoint,
    serviceName: env.text('OTEL_SERVICE_NAME') ?? defaultServiceName,
    sampler,
    ratio,
  };
}
