import type { IncomingMessage } from 'node:http';

/** A request body read as JSON, or why it was refused (status and message for the caller). */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly status: 400 | 413 | 415;
      readonly reason: 'media-type' | 'too-large' | 'empty' | 'not-json';
      readonly message: string;
    };

/**
 * Reads `req`'s body as JSON, refusing what `/mcp` cannot serve before it is parsed: a
 * `Content-Type` other than `application/json` (415), more than `limitBytes` (413, as soon as
 * `Content-Length` says so or the bytes read pass it), an empty body or text that is not JSON
 * (400). Answers `undefined` when the client went away mid-body (nobody is left to answer).
 */
export async function readJsonBody(
  req: IncomingMessage,
  limitBytes: number,
): Promise<JsonBody | undefined> {
  if (!isJsonContentType(req.headers['content-type'])) {
    req.resume();
    return {
      ok: false,
      status: 415,
      reason: 'media-type',
      message: 'Unsupported Media Type: Content-Type must be application/json',
    };
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return tooLarge(limitBytes);
  const text = await readText(req, limitBytes);
  if (text === undefined) return undefined;
  if (text === null) return tooLarge(limitBytes);
  if (text.trim() === '')
    return { ok: false, status: 400, reason: 'empty', message: 'Bad Request: empty body' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      status: 400,
      reason: 'not-json',
      message: `Parse error: the body is not JSON (${(error as Error).message})`,
    };
  }
}

/**
 * The body as text; null once it passes `limitBytes` (the rest still flows, unread, so that the
 * answer can be written before the connection closes); undefined when the client went away.
 */
function readText(req: IncomingMessage, limitBytes: number): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const settle = (text: string | null | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.byteLength;
      if (length > limitBytes) settle(null);
      else chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks, length).toString('utf8'));
    const onClose = () => settle(undefined);
    // A connection reset mid-body is the client's leaving, answered by `close`; never a crash.
    req.on('error', () => {});
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
}

function tooLarge(limitBytes: number): JsonBody {
  return {
    ok: false,
    status: 413,
    reason: 'too-large',
    message: `Payload Too Large: the body is over ${limitBytes} bytes`,
  };
}

function isJsonContentType(value: string | undefined): boolean {
  const type = value?.split(';', 1)[0]?.trim().toLowerCase();
  return type === 'application/json' || (type?.endsWith('+json') ?? false);
}
