import { describe, expect, it } from 'vitest';
import { colourFor, formatPrefix, LineSplitter } from './log-prefixer.js';

describe('LineSplitter', () => {
  it('answers complete lines and keeps the unterminated rest for later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\nthree')).toEqual(['two']);
    expect(splitter.push('')).toEqual([]);
    expect(splitter.flush()).toEqual(['three']);
    expect(splitter.flush()).toEqual([]);
  });

  it('treats CRLF as one line ending and keeps empty lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a\r\n\r\nb\r')).toEqual(['a', '']);
    expect(splitter.push('\n')).toEqual(['b']);
  });

  it('splits a chunk holding many lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('1\n2\n3\n')).toEqual(['1', '2', '3']);
    expect(splitter.flush()).toEqual([]);
  });
});

describe('formatPrefix', () => {
  it('brackets the name and pads it to the common width', () => {
    expect(formatPrefix('clock', { width: 8 })).toBe('[clock]    ');
    expect(formatPrefix('registry', { width: 8 })).toBe('[registry] ');
    expect(formatPrefix('greeter')).toBe('[greeter] ');
  });

  it('colours the bracketed name only, and resets the colour after it', () => {
    expect(formatPrefix('clock', { width: 7, colour: 'cyan' })).toBe(
      '\u001b[36m[clock]\u001b[39m   ',
    );
    expect(formatPrefix('registry', { colour: 'blue' })).toBe('\u001b[34m[registry]\u001b[39m ');
  });
});

describe('colourFor', () => {
  it('gives the registry and meshctl fixed colours and agents one each, in turn', () => {
    expect(colourFor('registry')).toBe('blue');
    expect(colourFor('meshctl')).toBe('grey');
    const agents = [0, 1, 2, 3, 4].map((index) => colourFor('agent', index));
    expect(new Set(agents).size).toBe(5);
    expect(agents).not.toContain('blue');
    expect(agents).not.toContain('grey');
    expect(colourFor('agent', 5)).toBe(agents[0]);
  });
});
