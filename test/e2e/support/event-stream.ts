/**
 * A Server-Sent Events client for the registry's `GET /watch`: frames parsed as they arrive (by
 * the runtime's own reader), and a wait for the next one with a timeout.
 */

import { get, type IncomingMessage } from 'node:http';
import { EventStreamReader } from '../../../runtime/proxy/event-stream.js';

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

  const reader = new EventStreamReader({
    onEvent: (event) => {
      frames.push(event);
      wake?.();
    },
    onComment: (comment) => comments.push(comment.trim()),
  });
  response.on('data', (chunk: Buffer) => reader.push(chunk));
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
