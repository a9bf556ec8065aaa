/** What a completion handler knows besides the text typed so far. */
export interface CompletionContext {
  /** Values the client already chose for the other arguments (or template variables). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
}

/**
 * Suggests values for one prompt argument or resource-template variable (`completion/complete`),
 * given the text typed so far. The first 100 suggestions are sent; `hasMore` tells the client when
 * there were more.
 *
 * @example
 * const city: CompletionHandler = (typed) => cities.filter((name) => name.startsWith(typed));
 */
export type CompletionHandler = (
  value: string,
  context: CompletionContext,
) => readonly string[] | Promise<readonly string[]>;

/**
 * The completions an agent offers: per prompt, a handler per argument; per resource template, a
 * handler per URI variable. Names must be the spec's; the agent then declares the `completions`
 * capability and answers `completion/complete` (an empty list for arguments with no handler).
 *
 * @example
 * completions: {
 *   prompts: { forecast_prompt: { city: (typed) => cities.filter((c) => c.startsWith(typed)) } },
 *   resources: { city_report: { city: (typed) => cities.filter((c) => c.startsWith(typed)) } },
 * }
 */
export interface AgentCompletions {
  readonly prompts?: {
    readonly [prompt: string]: { readonly [argument: string]: CompletionHandler };
  };
  readonly resources?: {
    readonly [resource: string]: { readonly [variable: string]: CompletionHandler };
  };
}
