import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { agentRoutes } from './agents/routes.js';
import type { RegistryConfig } from './config.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { RegistryError } from './errors/registry-error.js';
import { eventRoutes } from './events/routes.js';
import { healthRoutes } from './health/routes.js';
import { keepJsonText } from './heartbeat/json-text.js';
import { heartbeatRoutes } from './heartbeat/routes.js';
import { MeshRegistry } from './mesh-registry.js';
import { metricsRoutes } from './metrics/routes.js';
import { openApiDocument, sharedSchemas } from './openapi/openapi-document.js';
import type { RegistryStore } from './persistence/registry-store.js';
import { proxyRoutes } from './proxy/routes.js';
import { httpsOption } from './tls/https-option.js';
import { traceRoutes } from './traces/routes.js';
import { SpanStore } from './traces/span-store.js';
import { RegistryTrust } from './trust/registry-trust.js';
import { watchRoutes } from './watch/routes.js';

export interface RegistryApp {
  readonly app: FastifyInstance;
  readonly registry: MeshRegistry;
}

/**
 * Builds the registry's HTTP server over a store: every route of spec/registry.openapi.yaml,
 * request bodies validated against its schemas, every error answered as `ErrorResponse`.
 */
export async function buildRegistryApp(
  config: RegistryConfig,
  store: RegistryStore,
  options: { logLevel?: string } = {},
): Promise<RegistryApp> {
  const app = Fastify({
    logger: { level: options.logLevel ?? config.logLevel },
    // One log line per event, not one per heartbeat.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    ...httpsOption(config.tls),
    ajv: {
      customOptions: {
        strict: false,
        coerceTypes: false,
        useDefaults: false,
        removeAdditional: false,
        allErrors: false,
      },
    },
  }) as unknown as FastifyInstance;
  keepJsonText(app);
  for (const schema of sharedSchemas()) app.addSchema(schema);
  const registry = new MeshRegistry(store, config, app.log);
  const spans = new SpanStore({ maxSpans: 20_000, maxSpansPerTrace: 2_000 });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const registryError = toRegistryError(error, config.bodyLimit);
    if (registryError.code === 'internal') request.log.error({ err: error }, 'request failed');
    return reply.code(registryError.status).send(registryError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new RegistryError(
      'not_found',
      `no route ${request.method} ${request.url.split('?')[0]}; see GET /openapi.json`,
    );
    return reply.code(404).send(error.toBody());
  });

  // Before the routes: the check runs on every route declared after it.
  if (config.trust) (await RegistryTrust.open(config.trust, registry)).install(app);
  heartbeatRoutes(app, registry);
  agentRoutes(app, registry);
  eventRoutes(app, registry);
  watchRoutes(app, registry);
  healthRoutes(app, registry);
  proxyRoutes(app, registry);
  metricsRoutes(app, registry);
  traceRoutes(app, spans);
  dashboardRoutes(app, registry, spans);
  app.get('/openapi.json', async () => openApiDocument());

  app.addHook('onClose', async () => {
    await registry.stop();
  });
  await registry.start();
  return { app, registry };
}

function toRegistryError(error: FastifyError, bodyLimit: number): RegistryError {
  if (error instanceof RegistryError) return error;
  if (error.validation && error.validation.length > 0) {
    // Where the schema offers a choice (a dependency or a list of alternatives), each branch
    // reports its own error: the one that got deepest into the value is the one meant.
    const fieldOf = (entry: (typeof error.validation)[number]) => {
      const missing = (entry.params as { missingProperty?: string }).missingProperty;
      return missing === undefined ? entry.instancePath : `${entry.instancePath}/${missing}`;
    };
    const depth = (entry: (typeof error.validation)[number]) => fieldOf(entry).split('/').length;
    const first = error.validation.reduce((best, entry) =>
      depth(entry) > depth(best) ? entry : best,
    );
    const field = fieldOf(first);
    return new RegistryError(
      'bad_request',
      `${error.validationContext ?? 'body'}${field === '' ? '' : ` ${field}`}: ${first.message ?? 'is invalid'}`,
      {
        field: field === '' ? '/' : field,
      },
    );
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // fastify's message does not name the limit; the spec promises it in details.limit_bytes.
    return new RegistryError(
      'payload_too_large',
      `the request body is larger than the limit of ${bodyLimit} bytes (MCP_MESH_REGISTRY_BODY_LIMIT)`,
      { details: { limit_bytes: bodyLimit } },
    );
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new RegistryError(error.statusCode === 404 ? 'not_found' : 'bad_request', error.message);
  }
  return new RegistryError('internal', 'the registry failed to handle the request; see its log');
}
