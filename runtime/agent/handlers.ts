import type { ContentBlock } from '@modelcontextprotocol/server';
import type { AgentCompletions } from './completions.js';
import type { ToolContext } from './context.js';

/**
 * A tool body: typed input, injected dependencies, the call's context. To ask the client for input
 * before answering, it returns `context.input.require(...)` (see `InputRounds`).
 */
export type ToolHandler<Input, Output, Dependencies> = (
  input: Input,
  dependencies: Dependencies,
  context: ToolContext,
) => Output | Promise<Output>;

/** What a resource read answers: text, binary, or several contents. */
export type ResourceContent =
  | string
  | { readonly text: string; readonly mimeType?: string }
  | { readonly blob: Uint8Array; readonly mimeType?: string };

export type ResourceHandler = (
  uri: URL,
  variables: Readonly<Record<string, string>>,
  context: ToolContext,
) =>
  | ResourceContent
  | readonly ResourceContent[]
  | Promise<ResourceContent | readonly ResourceContent[]>;

/**
 * One message of a prompt: text (`{ role, text }`), or any MCP content block (`{ role, content }`):
 * an image, audio, an embedded resource or a resource link.
 *
 * @example
 * { role: 'user', content: { type: 'image', data: pngBase64, mimeType: 'image/png' } }
 * { role: 'user', content: { type: 'resource', resource: { uri, mimeType: 'text/plain', text } } }
 */
export type PromptMessageContent =
  | { readonly role: 'user' | 'assistant'; readonly text: string }
  | { readonly role: 'user' | 'assistant'; readonly content: ContentBlock };

/** A prompt answers one user message as text, or a list of role-tagged messages. */
export type PromptContent = string | readonly PromptMessageContent[];

export type PromptHandler = (
  args: Readonly<Record<string, string>>,
  context: ToolContext,
) => PromptContent | Promise<PromptContent>;

/** The bodies of an agent: one handler per tool, resource and prompt, keyed by name. */
export interface AgentHandlers {
  // biome-ignore lint/suspicious/noExplicitAny: handlers of any typed signature are accepted here; generated interfaces narrow them.
  readonly tools: { readonly [name: string]: ToolHandler<any, any, any> };
  readonly resources?: { readonly [name: string]: ResourceHandler };
  readonly prompts?: { readonly [name: string]: PromptHandler };
  /** Suggestions for prompt arguments and resource-template variables (`completion/complete`). */
  readonly completions?: AgentCompletions;
}
