import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body's text as received; empty for other bodies (see `keepJsonText`). */
    jsonText: string;
  }
}

/**
 * Parses JSON bodies as fastify does by default (prototype and constructor poisoning refused),
 * keeping their text on the request: a full heartbeat is recognised as a repeat by a hash of
 * its text, and serialising the parsed body again for that cost as much as resolving it.
 */
export function keepJsonText(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('jsonText', '');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.jsonText = text;
    parse(request, text, done);
  });
}
