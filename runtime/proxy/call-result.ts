import { MeshError } from '../errors/mesh-error.js';

interface ToolResult {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
}

/**
 * A tool result as the value a typed proxy returns: the structured content when there is one,
 * otherwise the text (parsed as JSON when it is JSON). An `isError` result becomes a
 * `remote_tool_error` MeshError carrying the tool's own message.
 */
export function resultValue(result: ToolResult, capability: string, provider: string): unknown {
  const text = (result.content ?? [])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('\n');
  if (result.isError) {
    throw new MeshError(
      'remote_tool_error',
      `${provider} failed: ${text || 'the tool reported an error'}`,
      { capability, provider },
    );
  }
  if (result.structuredContent !== undefined) return result.structuredContent;
  if (text === '') return result.content;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
