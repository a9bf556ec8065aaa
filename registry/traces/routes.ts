import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import { callTree } from './call-tree.js';
import {
  decodeExportTraceRequest,
  type ExportTraceRequest,
  exportTraceRequestSchema,
} from './otlp-json.js';
import type { SpanStore } from './span-store.js';

/** Largest OTLP export accepted: a full batch of the SDK's default size, with room to spare. */
const exportBodyLimit = 8 * 1024 * 1024;
const defaultListed = 50;
const mostListed = 500;

/**
 * The registry's trace routes: `POST /v1/traces` (an OTLP/HTTP JSON receiver: point agents'
 * `OTEL_EXPORTER_OTLP_ENDPOINT` at the registry), `GET /traces` (recent traces, newest first)
 * and `GET /traces/{trace_id}` (one trace's spans in call-tree order).
 */
export function traceRoutes(app: FastifyInstance, store: SpanStore): void {
  app.register(async (scope) => {
    // Only in this scope: elsewhere protobuf stays an unknown media type.
    scope.addContentTypeParser('application/x-protobuf', (_request, _payload, done) => {
      done(
        new RegistryError(
          'bad_request',
          'the registry receives OTLP/HTTP JSON only; set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (the mesh runtime sends JSON already)',
          { field: 'content-type' },
        ),
      );
    });
    scope.post<{ Body: ExportTraceRequest }>(
      '/v1/traces',
      { bodyLimit: exportBodyLimit, schema: { body: exportTraceRequestSchema } },
      async (request) => {
        store.add(decodeExportTraceRequest(request.body));
        // ExportTraceServiceResponse: no partialSuccess when every span was taken.
        return {};
      },
    );
  });

  app.get<{ Querystring: { limit?: string } }>('/traces', async (request) => {
    const limit = request.query.limit === undefined ? defaultListed : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > mostListed) {
      throw new RegistryError(
        'bad_request',
        `limit must be a whole number from 1 to ${mostListed}`,
        {
          field: 'limit',
        },
      );
    }
    return {
      traces: store.recent(limit),
      spans_kept: store.spanCount,
      spans_dropped: store.dropped,
    };
  });

  app.get<{ Params: { trace_id: string } }>('/traces/:trace_id', async (request) => {
    const traceId = request.params.trace_id.toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(traceId)) {
      throw new RegistryError('bad_request', 'a trace id is 32 hexadecimal digits', {
        field: 'trace_id',
      });
    }
    const spans = store.trace(traceId);
    if (spans.length === 0) {
      throw new RegistryError(
        'not_found',
        `no spans of trace ${traceId} are kept here; it may be older than the store keeps, or its agents may not export to this registry (OTEL_EXPORTER_OTLP_ENDPOINT)`,
      );
    }
    return { trace_id: traceId, spans: callTree(spans) };
  });
}
