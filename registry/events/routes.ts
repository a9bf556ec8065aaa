import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../errors/registry-error.js';
import type { MeshRegistry } from '../mesh-registry.js';
import { type RegistryEventType, registryEventTypes } from '../persistence/registry-store.js';

interface EventsQuery {
  type?: string;
  agent_id?: string;
  function_name?: string;
  limit?: string;
}

// The predecessor's vocabulary also names these; this registry never records them.
const neverRecorded = new Set(['heartbeat', 'rotate']);

/** `GET /events`: the audit trail, newest first. */
export function eventRoutes(app: FastifyInstance, registry: MeshRegistry): void {
  app.get<{ Querystring: EventsQuery }>('/events', async (request) => {
    const { type, agent_id: agentId, function_name: functionName } = request.query;
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new RegistryError(
        'bad_request',
        `limit "${request.query.limit}" must be an integer from 1 to 1000`,
        { field: 'limit' },
      );
    }
    if (
      type !== undefined &&
      !neverRecorded.has(type) &&
      !(registryEventTypes as readonly string[]).includes(type)
    ) {
      throw new RegistryError(
        'bad_request',
        `type "${type}" is not an event type (${registryEventTypes.join(', ')})`,
        { field: 'type' },
      );
    }
    const events =
      type !== undefined && neverRecorded.has(type)
        ? []
        : await registry.store.listEvents({
            ...(type === undefined ? {} : { type: type as RegistryEventType }),
            ...(agentId === undefined ? {} : { agentId }),
            ...(functionName === undefined ? {} : { functionName }),
            limit,
          });
    return {
      events: events.map((event) => ({
        event_id: event.id,
        event_type: event.eventType,
        agent_id: event.agentId,
        ...(event.agentName === undefined ? {} : { agent_name: event.agentName }),
        ...(event.functionName === undefined ? {} : { function_name: event.functionName }),
        timestamp: event.createdAt.toISOString(),
        data: event.data,
      })),
      count: events.length,
    };
  });
}
