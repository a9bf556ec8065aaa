import type { CallToolResult } from '@modelcontextprotocol/server';

const contentTypes = new Set(['text', 'image', 'audio', 'resource', 'resource_link']);

/**
 * Whether a handler already answered an MCP tool result (`{ content: [...] }` with typed blocks),
 * e.g. to return image, audio or embedded-resource content. Such results pass through unchanged.
 */
export function isMcpToolResult(value: unknown): value is CallToolResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const content = (value as { content?: unknown }).content;
  return (
    Array.isArray(content) &&
    content.every(
      (block) =>
        typeof block === 'object' &&
        block !== null &&
        contentTypes.has((block as { type?: unknown }).type as string),
    )
  );
}

/**
 * Maps what a tool handler returned to an MCP tool result:
 * - a tool with an output schema answers `structuredContent` plus the same JSON as a text block
 *   (for clients that read only `content`);
 * - an MCP-shaped result (see {@link isMcpToolResult}) passes through — for a tool with an output
 *   schema only when it carries its own `structuredContent` or is an error;
 * - a string becomes one text block; `undefined`/`null` an empty result; anything else JSON text.
 */
export function toToolResult(value: unknown, hasOutputSchema: boolean): CallToolResult {
  if (isMcpToolResult(value) && (!hasOutputSchema || passesAsStructured(value))) return value;
  if (hasOutputSchema) {
    return {
      content: [{ type: 'text', text: JSON.stringify(value) }],
      structuredContent: value as Record<string, unknown>,
    };
  }
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (value === undefined || value === null) return { content: [] };
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

/** The structured value an output schema applies to, for a result {@link toToolResult} made. */
export function structuredOutputOf(value: unknown): {
  readonly check: boolean;
  readonly value: unknown;
} {
  if (isMcpToolResult(value) && passesAsStructured(value)) {
    return { check: value.isError !== true, value: value.structuredContent };
  }
  return { check: true, value };
}

function passesAsStructured(result: CallToolResult): boolean {
  return result.structuredContent !== undefined || result.isError === true;
}

/** A tool error result: the caller sees `isError: true` and the message as text. */
export function toolErrorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
