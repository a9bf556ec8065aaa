import { describe, expect, it } from 'vitest';
import {
  isMcpToolResult,
  structuredOutputOf,
  toolErrorResult,
  toToolResult,
} from './tool-result.js';

describe('toToolResult', () => {
  it('answers structuredContent plus the same JSON as text for a tool with an output schema', () => {
    expect(toToolResult({ sum: 3 }, true)).toEqual({
      content: [{ type: 'text', text: '{"sum":3}' }],
      structuredContent: { sum: 3 },
    });
  });

  it('answers a string as text, other values as JSON text, nothing as no content', () => {
    expect(toToolResult('hi', false)).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    expect(toToolResult({ a: 1 }, false)).toEqual({ content: [{ type: 'text', text: '{"a":1}' }] });
    expect(toToolResult([1, 2], false)).toEqual({ content: [{ type: 'text', text: '[1,2]' }] });
    expect(toToolResult(7, false)).toEqual({ content: [{ type: 'text', text: '7' }] });
    expect(toToolResult(undefined, false)).toEqual({ content: [] });
  });

  it('passes MCP-shaped results through (image, audio, embedded resources)', () => {
    const image = { content: [{ type: 'image', data: 'AA==', mimeType: 'image/png' }] };
    expect(toToolResult(image, false)).toBe(image);
    const structured = { content: [{ type: 'text', text: 'x' }], structuredContent: { x: 1 } };
    expect(toToolResult(structured, true)).toBe(structured);
    const failed = toolErrorResult('nope');
    expect(toToolResult(failed, true)).toBe(failed);
  });

  it('treats a content-shaped value as structured output when the tool has an output schema', () => {
    const value = { content: [{ type: 'text', text: 'x' }] };
    expect(toToolResult(value, true)).toEqual({
      content: [{ type: 'text', text: JSON.stringify(value) }],
      structuredContent: value,
    });
  });
});

describe('isMcpToolResult', () => {
  it('needs a content array of typed blocks', () => {
    expect(isMcpToolResult({ content: [] })).toBe(true);
    expect(
      isMcpToolResult({ content: [{ type: 'resource', resource: { uri: 'a://b', text: '' } }] }),
    ).toBe(true);
    expect(isMcpToolResult({ content: 'text' })).toBe(false);
    expect(isMcpToolResult({ content: [{ type: 'video' }] })).toBe(false);
    expect(isMcpToolResult([{ type: 'text' }])).toBe(false);
    expect(isMcpToolResult(null)).toBe(false);
  });
});

describe('structuredOutputOf', () => {
  it('checks a plain value, the structuredContent of a passed-through result, nothing of an error', () => {
    expect(structuredOutputOf({ a: 1 })).toEqual({ check: true, value: { a: 1 } });
    expect(structuredOutputOf({ content: [], structuredContent: { a: 1 } })).toEqual({
      check: true,
      value: { a: 1 },
    });
    expect(structuredOutputOf(toolErrorResult('x')).check).toBe(false);
  });
});
