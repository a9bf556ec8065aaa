import { describe, expect, it } from 'vitest';
import { EventStreamReader, type ServerSentEvent } from './event-stream.js';

function read(...pieces: (string | Uint8Array)[]): {
  events: ServerSentEvent[];
  comments: string[];
} {
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const reader = new EventStreamReader({
    onEvent: (event) => events.push(event),
    onComment: (comment) => comments.push(comment),
  });
  for (const piece of pieces) reader.push(piece);
  reader.end();
  return { events, comments };
}

const events = (...pieces: (string | Uint8Array)[]) => read(...pieces).events;

describe('EventStreamReader', () => {
  it('hands over each event at its blank line, typed message unless named', () => {
    expect(
      events('event: message\ndata: {"a":1}\n\ndata: {"b":2}\n\nevent: ping\ndata: x\n\n'),
    ).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
      { event: 'ping', data: 'x' },
    ]);
  });

  it('joins data lines, takes one space after the colon, keeps ids, hands comments apart', () => {
    expect(read(': keep-alive\nid: 7\nretry: 10\ndata:a\ndata:  b\n\n')).toEqual({
      events: [{ event: 'message', data: 'a\n b', id: '7' }],
      comments: ['keep-alive'],
    });
  });

  it('does not depend on where the text is cut: CRLF, CR and LF line ends, CRLF split included', () => {
    const stream =
      'data: {"x":"é"}\r\n\r\ndata: 1\r\ndata: 2\r\n\r\nevent: e\ndata: 3\r\rdata: 4\r\r';
    const whole = events(stream);
    expect(whole).toEqual([
      { event: 'message', data: '{"x":"é"}' },
      { event: 'message', data: '1\n2' },
      { event: 'e', data: '3' },
      { event: 'message', data: '4' },
    ]);
    for (let cut = 1; cut < stream.length; cut++)
      expect(events(stream.slice(0, cut), stream.slice(cut)), `cut at ${cut}`).toEqual(whole);
  });

  it('decodes UTF-8 across chunks: bytes cut inside a character change nothing', () => {
    const stream = 'data: météo ü\r\n\r\ndata: 天気 🌦\n\n';
    const bytes = new TextEncoder().encode(stream);
    const whole = events(bytes);
    expect(whole).toEqual([
      { event: 'message', data: 'météo ü' },
      { event: 'message', data: '天気 🌦' },
    ]);
    for (let cut = 1; cut < bytes.length; cut++)
      expect(events(bytes.subarray(0, cut), bytes.subarray(cut)), `cut at byte ${cut}`).toEqual(
        whole,
      );
    expect(events(...Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(whole);
  });

  it('waits for the blank line: an event without one is not handed over', () => {
    expect(events('data: half')).toEqual([]);
    expect(events('data: half\n')).toEqual([]);
    expect(events('event: x\n\n')).toEqual([]);
  });
});
