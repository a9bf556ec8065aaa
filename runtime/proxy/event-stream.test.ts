import { describe, expect, it } from 'vitest';
import { EventStreamParser, type ServerSentEvent } from './event-stream.js';

function parse(...pieces: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = new EventStreamParser((event) => events.push(event));
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return events;
}

describe('EventStreamParser', () => {
  it('hands over each event at its blank line, typed message unless named', () => {
    expect(
      parse('event: message\ndata: {"a":1}\n\ndata: {"b":2}\n\nevent: ping\ndata: x\n\n'),
    ).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
      { event: 'ping', data: 'x' },
    ]);
  });

  it('joins data lines, takes one space after the colon, ignores comments, ids and retries', () => {
    expect(parse(': keep-alive\nid: 7\nretry: 10\ndata:a\ndata:  b\n\n')).toEqual([
      { event: 'message', data: 'a\n b' },
    ]);
  });

  it('does not depend on where the stream is cut, CRLF split included', () => {
    const stream = 'data: {"x":"é"}\r\n\r\ndata: 2\r\r';
    const whole = parse(stream);
    expect(whole).toEqual([
      { event: 'message', data: '{"x":"é"}' },
      { event: 'message', data: '2' },
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse(stream.slice(0, cut), stream.slice(cut))).toEqual(whole);
    }
  });

  it('waits for the blank line: an event without one is not handed over', () => {
    expect(parse('data: half')).toEqual([]);
    expect(parse('event: x\n\n')).toEqual([]);
  });
});
