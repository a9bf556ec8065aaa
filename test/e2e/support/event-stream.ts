/**
 * A minimal Server-Sent Events reader, for the registry's `GET /watch`: it parses
 * frames as they arrive and lets a test wait for the next one with a timeout.
 */

import { get, type IncomingMessage } from 'node:http';

export interface SseFrame {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

export interface EventStream {
  readonly status: number;
  readonly headers: Headers;
  /** Every frame received so far (comments excluded). */
  readonly frames: readonly SseFrame[];
  /** Comment lines received so far, without the leading `:`. */
  readonly comments: readonly string[];
  /** The next frame not yet returned by `next`, or undefined when none came within `timeoutMs`. */
  next(timeoutMs: number): Promise<SseFrame | undefined>;
  close(): void;
}

export async function openEventStream(
  url: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<EventStream> {
  // node:http rather than fetch: close() must really drop the connection, as a crashing or
  // disconnecting agent would, and not leave it to a client-side pool.
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, resolve);
    request.on('error', reject);
  });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  let delivered = 0;
  let wake: (() => void) | undefined;
  let closed = false;

  const parse = (block: string) => {
    const fields: { event?: string; id?: string; data: string[] } = { data: [] };
    let hasField = false;
    for (const line of block.split(/\r?\n/)) {
      if (line === '') continue;
      if (line.startsWith(':')) {
        comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      hasField = true;
      if (name === 'event') fields.event = value;
      else if (name === 'id') fields.id = value;
      else if (name === 'data') fields.data.push(value);
    }
    if (hasField) {
      frames.push({
        ...(fields.event === undefined ? {} : { event: fields.event }),
        ...(fields.id === undefined ? {} : { id: fields.id }),
        data: fields.data.join('\n'),
      });
    }
    wake?.();
  };

  response.setEncoding('utf8');
  let buffer = '';
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
      const separator = buffer.slice(end).match(/^\r?\n\r?\n/)![0];
      parse(buffer.slice(0, end));
      buffer = buffer.slice(end + separator.length);
    }
  });
  response.on('close', () => {
    closed = true;
    wake?.();
  });
  response.on('error', () => {
    // The connection was cut (by close(), or the server went away).
  });
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') responseHeaders.set(name, value);
  }

  return {
    status: response.statusCode ?? 0,
    headers: responseHeaders,
    frames,
    comments,
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (delivered >= frames.length && !closed && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      if (delivered < frames.length) return frames[delivered++];
      return undefined;
    },
    close() {
      response.destroy();
    },
  };
}
