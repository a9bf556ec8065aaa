import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../config/environment.js';
import { tracingConfig } from './tracing-config.js';

describe('tracingConfig', () => {
  it('is off unless an OTLP endpoint is set, and off again when disabled', () => {
    expect(tracingConfig({}, 'greeter')).toBeUndefined();
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'x' }, 'greeter')).toBeUndefined();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(tracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, 'greeter')).toBeUndefined();
    expect(tracingConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, 'greeter')).toBeUndefined();
  });

  it('reads the endpoint, service name and sampler', () => {
    expect(
      tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }, 'greeter'),
    ).toEqual({
      endpoint: 'http://127.0.0.1:4318/v1/traces',
      serviceName: 'greeter',
      sampler: 'parentbased_always_on',
      ratio: 1,
    });
    expect(
      tracingConfig(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom',
          OTEL_SERVICE_NAME: 'front',
          OTEL_TRACES_SAMPLER: 'traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        },
        'greeter',
      ),
    ).toEqual({
      endpoint: 'http://collector:4318/custom',
      serviceName: 'front',
      sampler: 'traceidratio',
      ratio: 0.25,
    });
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER', /not a sampler/],
    [{ OTEL_TRACES_SAMPLER_ARG: '2' }, 'OTEL_TRACES_SAMPLER_ARG', /from 0 to 1/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL', /http\/json/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER', /otlp or none/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT', /http:\/\//],
  ])('refuses %o naming the variable', (env, variable, message) => {
    const attempt = () =>
      tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', ...env }, 'greeter');
    expect(attempt).toThrow(EnvironmentError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as EnvironmentError).variable).toBe(variable);
    }
  });
});
