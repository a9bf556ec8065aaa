import type { IncomingMessage, ServerResponse } from 'node:http';

/** A web-standard MCP handler that can take the request body already parsed. */
export interface WebHandler {
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
}

/** Headers that describe a body: the bridge's `Request` carries none (see {@link headerOnlyRequest}). */
const bodyHeaders = new Set(['content-length', 'transfer-encoding', 'content-encoding']);

/**
 * Serves one node request with a web-standard handler whose body is already parsed — the
 * SDK's `toNodeHandler` without the costs that a parsed body makes useless:
 *
 * - the `Request` carries headers, method, URL and a signal that aborts when the client goes away,
 *   but no body: the handler is given the parsed body and never reads the request's (re-serialising
 *   it and wrapping it in a stream is most of the SDK's conversion);
 * - a JSON answer is written in one piece with its `Content-Length`; only an event stream is
 *   piped, honouring backpressure, until it ends or the client goes away.
 */
export async function serveWebHandler(
  handler: WebHandler,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  onerror: (error: Error) => void,
): Promise<void> {
  let answered = false;
  const gone = new AbortController();
  res.once('close', () => {
    if (!answered) gone.abort();
  });
  if (res.destroyed) gone.abort();

  let response: Response;
  try {
    response = await handler.fetch(headerOnlyRequest(req, gone.signal), { parsedBody: body });
  } catch (error) {
    onerror(error instanceof Error ? error : new Error(String(error)));
    response = internalError(body);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (response.body === null) {
    answered = true;
    res.writeHead(response.status, headers).end();
    return;
  }
  if (!isEventStream(headers['content-type'])) {
    const bytes = Buffer.from(await response.arrayBuffer());
    headers['content-length'] = String(bytes.byteLength);
    answered = true;
    res.writeHead(response.status, headers).end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  await pipeStream(response.body, res, gone.signal);
  answered = true;
  res.end();
}

/**
 * The web `Request` the handler sees: what it reads (method, URL, headers, signal) without the
 * body, which it takes parsed instead.
 */
function headerOnlyRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':') || bodyHeaders.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.push([name, item]);
    else headers.push([name, value]);
  }
  const host = req.headers.host ?? 'localhost';
  const request = new Request(`http://${host}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
  });
  // Given a signal in its init, undici makes the request's own signal follow it (a listener and a
  // finalization registration per request, a visible share of a call's CPU): answer the
  // exchange's signal directly instead.
  Object.defineProperty(request, 'signal', { value: signal });
  return request;
}

async function pipeStream(
  stream: ReadableStream<Uint8Array>,
  res: ServerResponse,
  gone: AbortSignal,
): Promise<void> {
  let resume: (() => void) | undefined;
  const release = () => {
    resume?.();
    resume = undefined;
  };
  res.on('drain', release);
  gone.addEventListener('abort', release, { once: true });
  try {
    for await (const chunk of stream) {
      if (gone.aborted) break;
      if (!res.write(chunk) && !gone.aborted) {
        await new Promise<void>((resolve) => {
          resume = resolve;
        });
      }
    }
  } catch {
    // The stream failed or the client went away: end the response either way.
  } finally {
    res.off('drain', release);
    gone.removeEventListener('abort', release);
  }
}

function isEventStream(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'text/event-stream';
}

function internalError(body: unknown): Response {
  const id =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { method?: unknown }).method === 'string'
      ? (body as { id?: unknown }).id
      : undefined;
  return Response.json(
    {
      jsonrpc: '2.0',
      error: { code: -32603, message: 'Internal server error' },
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
    },
    { status: 500 },
  );
}
