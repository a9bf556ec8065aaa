import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One server-sent event: its type (`message` when the stream names none), data and id. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

export interface EventStreamCallbacks {
  readonly onEvent: (event: ServerSentEvent) => void;
  /** Comment lines (`: keep-alive`), without the colon and the space after it. */
  readonly onComment?: (comment: string) => void;
}

/**
 * The one `text/event-stream` reader of the mesh (the runtime's proxies, its registry client and
 * the tests): feed it the body as it arrives, bytes or text in pieces cut anywhere — inside a
 * UTF-8 character or between the CR and LF of a line end — and it hands over each event once its
 * blank line has come. The parsing is `eventsource-parser`'s (the WHATWG rules); this adds the
 * UTF-8 decoding across chunks and the end of the stream.
 */
export class EventStreamReader {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private endsWithCarriageReturn = false;

  constructor({ onEvent, onComment }: EventStreamCallbacks) {
    this.parser = createParser({
      onEvent: ({ event, data, id }) =>
        onEvent({ event: event ?? 'message', data, ...(id === undefined ? {} : { id }) }),
      ...(onComment ? { onComment } : {}),
    });
  }

  /** Parses the next piece of the stream. */
  push(chunk: Uint8Array | string): void {
    this.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }

  /**
   * The stream ended. An event without its blank line is dropped, as the standard says; a CR at
   * the very end, which the parser holds back as a possible CRLF, ends its line after all.
   */
  end(): void {
    this.feed(this.decoder.decode());
    if (this.endsWithCarriageReturn) this.parser.feed('\n');
    this.parser.reset();
  }

  private feed(text: string): void {
    if (text === '') return;
    this.endsWithCarriageReturn = text.endsWith('\r');
    this.parser.feed(text);
  }
}
