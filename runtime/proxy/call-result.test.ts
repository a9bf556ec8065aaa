import { describe, expect, it } from 'vitest';
import { MeshError } from '../errors/mesh-error.js';
import { resultValue } from './call-result.js';

describe('resultValue', () => {
  it('answers the structured content when there is one', () => {
    expect(
      resultValue(
        { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 2 } },
        'cap',
        'p.tool',
      ),
    ).toEqual({ a: 2 });
  });

  it('parses text that is JSON', () => {
    expect(
      resultValue({ content: [{ type: 'text', text: '{"date":"2024-01-01"}' }] }, 'cap', 'p'),
    ).toEqual({
      date: '2024-01-01',
    });
    expect(resultValue({ content: [{ type: 'text', text: '42' }] }, 'cap', 'p')).toBe(42);
  });

  it('answers plain text as is, text blocks joined by new lines', () => {
    expect(resultValue({ content: [{ type: 'text', text: 'Hello, Ada!' }] }, 'cap', 'p')).toBe(
      'Hello, Ada!',
    );
    expect(
      resultValue(
        {
          content: [
            { type: 'text', text: 'one' },
            { type: 'image' },
            { type: 'text', text: 'two' },
          ],
        },
        'cap',
        'p',
      ),
    ).toBe('one\ntwo');
  });

  it('answers the content blocks when there is no text', () => {
    const content = [{ type: 'image' }];
    expect(resultValue({ content }, 'cap', 'p')).toBe(content);
  });

  it('turns an isError result into a remote_tool_error carrying the tool message', () => {
    let thrown: unknown;
    try {
      resultValue(
        { content: [{ type: 'text', text: 'no such user' }], isError: true },
        'users',
        'directory.lookup',
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MeshError);
    const error = thrown as MeshError;
    expect(error.code).toBe('remote_tool_error');
    expect(error.message).toContain('no such user');
    expect(error.message).toContain('directory.lookup');
    expect(error.details).toMatchObject({ capability: 'users', provider: 'directory.lookup' });
    expect(error.retryable).toBe(false);
  });

  it('says the tool reported an error when it gave no text', () => {
    expect(() => resultValue({ content: [], isError: true }, 'cap', 'p')).toThrow(
      /the tool reported an error/,
    );
  });
});
