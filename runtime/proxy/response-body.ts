import type { Readable } from 'node:stream';
import { EventStreamReader, type ServerSentEvent } from './event-stream.js';
import { ResponseTooLargeError } from './outbound-headers.js';

/**
 * The whole body, failing with ResponseTooLargeError at the first chunk that takes it past
 * `limit` bytes (the rest is not read: the body is destroyed).
 */
export function readWholeBody(body: Readable, limit: number | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit !== undefined && size > limit) body.destroy(new ResponseTooLargeError(limit));
      else chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}

/** At most `limit` bytes of the body as text (for error answers); the rest is discarded. */
export async function readTextPrefix(body: Readable, limit: number): Promise<string> {
  try {
    return (await readWholeBody(body, limit)).toString('utf8');
  } catch (error) {
    if (error instanceof ResponseTooLargeError) return '';
    throw error;
  }
}

/**
 * Reads a `text/event-stream` body to its end, handing over each event as it completes. Bytes
 * count against `limit` as in readWholeBody. Resolves when the stream ends.
 */
export function readEventStream(
  body: Readable,
  limit: number | undefined,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const reader = new EventStreamReader({ onEvent });
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit !== undefined && size > limit) {
        body.destroy(new ResponseTooLargeError(limit));
        return;
      }
      try {
        reader.push(chunk);
      } catch (error) {
        body.destroy(error as Error);
      }
    });
    body.once('end', () => {
      try {
        // An event cut off by the end of the stream is dropped, as the standard says.
        reader.end();
        resolve();
      } catch (error) {
        reject(error);
      }
    });
    body.once('error', reject);
  });
}
