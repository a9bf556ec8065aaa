import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/server';
import type { PromptContent, ResourceContent } from '../agent/handlers.js';
import type { PromptMetadata, ResourceMetadata } from '../metadata.js';

/**
 * What a resource handler answered as a `resources/read` result: a string is text (the spec's
 * MIME type, else text/plain), bytes go out base64 as `blob`.
 */
export function resourceResult(
  uri: URL,
  metadata: ResourceMetadata,
  answer: ResourceContent | readonly ResourceContent[],
): ReadResourceResult {
  const contents = (Array.isArray(answer) ? answer : [answer]) as readonly ResourceContent[];
  return {
    contents: contents.map((content) => {
      if (typeof content === 'string') {
        return { uri: uri.href, mimeType: metadata.mimeType ?? 'text/plain', text: content };
      }
      const mimeType = content.mimeType ?? metadata.mimeType;
      const typed = mimeType === undefined ? {} : { mimeType };
      if ('blob' in content) {
        return { uri: uri.href, ...typed, blob: Buffer.from(content.blob).toString('base64') };
      }
      return { uri: uri.href, ...typed, text: content.text };
    }),
  };
}

/**
 * What a prompt handler answered as a `prompts/get` result: a string is one user message; each
 * message is text (`{ role, text }`) or a content block of its own (`{ role, content }`: image,
 * audio, embedded resource, resource link).
 */
export function promptResult(metadata: PromptMetadata, answer: PromptContent): GetPromptResult {
  const messages = typeof answer === 'string' ? [{ role: 'user' as const, text: answer }] : answer;
  return {
    ...(metadata.description ? { description: metadata.description } : {}),
    messages: messages.map((message) => ({
      role: message.role,
      content: 'content' in message ? message.content : { type: 'text', text: message.text },
    })),
  };
}
