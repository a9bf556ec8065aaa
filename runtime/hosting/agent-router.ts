import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Serves one request of a route; a rejection is answered 500 and logged. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The methods a path answers; one that answers GET answers HEAD too (same status, no body). */
export interface Route {
  readonly methods: readonly string[];
  readonly handle: RouteHandler;
}

/**
 * The agent's request listener: exact paths (the query string aside) to their routes. A path it
 * does not serve is answered 404, a method a path does not take 405 with `Allow`, both with a
 * JSON body naming what is served. The agent has six routes, so a table and node's own HTTP
 * server do what a framework would, at a fraction of its start-up time and memory.
 */
export function routeRequests(
  routes: ReadonlyMap<string, Route>,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const paths = [...routes.keys()].join(', ');
  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const method = req.method ?? 'GET';
    const route = routes.get(path);
    if (!route) {
      sendJson(res, 404, {
        error: 'not_found',
        message: `the agent serves no ${path}: its paths are ${paths}`,
      });
      return;
    }
    const takes =
      route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
    if (!takes) {
      const allow = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : route.methods;
      sendJson(
        res,
        405,
        {
          error: 'method_not_allowed',
          message: `${path} takes ${allow.join(', ')}, not ${method}`,
        },
        { allow: allow.join(', ') },
      );
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((error: unknown) => {
        logger.error({ err: error, method, path }, 'request failed');
        if (!res.headersSent)
          sendJson(res, 500, {
            error: 'internal',
            message: 'the agent failed to answer; see its log',
          });
        else res.destroy();
      });
  };
}

/** Answers `body` as JSON with its `Content-Length` (and no body to a HEAD request). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendText(res, status, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

/** Answers `text` with its `Content-Length` and the given headers. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders,
): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) }).end(text);
}
