/**
 * The description of an agent that generated code hands to the runtime, and that the runtime
 * sends to the registry. Plain JSON data: kwargs are in their wire form (durations in seconds,
 * sizes in bytes) so that predecessor agents and ours read each other's settings.
 */

/** A JSON Schema document (2020-12), kept as data. */
export type JsonSchema = { readonly [key: string]: unknown };

/** MCP tool annotations: hints for clients, never enforced. */
export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/**
 * Resilience and transport settings of a tool, as they travel through the registry.
 * Unknown keys are custom settings and are passed along untouched.
 */
export interface ToolKwargs {
  /** Seconds one attempt may take. */
  readonly timeout?: number;
  readonly retry_count?: number;
  /** Seconds before the first retry. */
  readonly retry_delay?: number;
  /** Multiplier applied to the delay after each retry. */
  readonly retry_backoff?: number;
  readonly custom_headers?: { readonly [header: string]: string };
  readonly auth_required?: boolean;
  readonly streaming?: boolean;
  /** Seconds a stream may stay silent. */
  readonly stream_timeout?: number;
  readonly session_required?: boolean;
  readonly stateful?: boolean;
  /** Bytes. */
  readonly max_response_size?: number;
  /** With caller tokens: which callers an `auth_required` tool accepts (see runtime/trust). */
  readonly allowed_callers?: {
    readonly agents?: readonly string[];
    readonly namespaces?: readonly string[];
    readonly tags?: readonly string[];
  };
  readonly [custom: string]: unknown;
}

/**
 * One tag condition of a dependency: `tag` required, `+tag` preferred, `-tag` excluded, or a
 * list of plain tags (an OR group) any one of which will do.
 */
export type DependencyTag = string | readonly string[];

/** What a provider must offer to satisfy one alternative of a dependency position. */
export interface DependencyAlternative {
  readonly capability: string;
  /**
   * A semver range; `*` when the spec gave none. npm's syntax or the predecessor's (commas
   * join conditions, `!=` excludes a version).
   */
  readonly version: string;
  readonly tags: readonly DependencyTag[];
  readonly namespace?: string;
}

/** A capability one tool needs, at one position of its dependency list. */
export interface DependencyMetadata extends DependencyAlternative {
  /** Whether the tool is unavailable while the position resolves to no provider. */
  readonly required: boolean;
  /** The name under which the proxy is injected into the handler. */
  readonly parameter: string;
  /**
   * For a position given as alternatives: the ones after this (the first), in order of
   * preference. The handler receives a proxy of the first alternative that has a provider.
   */
  readonly fallbacks?: readonly DependencyAlternative[];
}

export interface ToolMetadata {
  /** The MCP tool name. */
  readonly name: string;
  readonly capability: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly annotations?: ToolAnnotations;
  readonly kwargs: ToolKwargs;
  readonly dependencies: readonly DependencyMetadata[];
}

export interface ResourceMetadata {
  readonly name: string;
  /** A fixed URI, or … */
  readonly uri?: string;
  /** … an RFC 6570 template. Exactly one of the two is set. */
  readonly uriTemplate?: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly subscribable?: boolean;
}

export interface PromptArgumentMetadata {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
}

export interface PromptMetadata {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: readonly PromptArgumentMetadata[];
}

export interface AgentMetadata {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly namespace: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly tools: readonly ToolMetadata[];
  readonly resources: readonly ResourceMetadata[];
  readonly prompts: readonly PromptMetadata[];
}
