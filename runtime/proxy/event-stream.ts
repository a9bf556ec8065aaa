/** One server-sent event: its type (`message` when the stream names none) and its data. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
}

/**
 * An incremental `text/event-stream` parser: feed it the body's text as it arrives, in pieces cut
 * anywhere, and it hands over each event once its blank line has come. Follows the WHATWG rules
 * that matter for MCP: `data:` lines joined by new lines, one optional space after the colon,
 * comments and `id:`/`retry:` ignored, CRLF, CR or LF line ends.
 */
export class EventStreamParser {
  private pending = '';
  private event = '';
  private data: string[] = [];

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  /** Parses the next piece of the stream. */
  push(text: string): void {
    const buffer = this.pending + text;
    let start = 0;
    for (let index = 0; index < buffer.length; index++) {
      const char = buffer.charCodeAt(index);
      if (char !== 10 && char !== 13) continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next piece.
      if (char === 13 && index === buffer.length - 1) break;
      this.line(buffer.slice(start, index));
      if (char === 13 && buffer.charCodeAt(index + 1) === 10) index++;
      start = index + 1;
    }
    this.pending = buffer.slice(start);
  }

  /** The stream ended: a CR held back as a possible CRLF ends its line after all. */
  end(): void {
    if (this.pending.endsWith('\r')) this.push('\n');
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent({ event: this.event || 'message', data: this.data.join('\n') });
      }
      this.event = '';
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' starts a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
