import type { JsonSchema, ToolKwargs } from '../metadata.js';

/** Per-call settings that override what the provider's kwargs configure. */
export interface CallOptions {
  /** Cancels the call, here and on every hop below. */
  readonly signal?: AbortSignal;
  /** Overall deadline for all attempts, in milliseconds. */
  readonly timeoutMs?: number;
  /** Extra headers for this call. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sends the call within this session (affinity for `session_required` tools). */
  readonly sessionId?: string;
}

/** One piece of a streamed result: a progress notification of the remote tool. */
export interface StreamChunk {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/**
 * A typed handle on a capability another agent provides. Generated code names one per
 * capability (e.g. `DateServiceProxy`); handlers receive it injected, or `undefined` while no
 * provider is resolved.
 */
export interface CapabilityProxy<Input, Output> {
  /** The capability this proxy reaches. */
  readonly capability: string;
  /** Calls the provider's tool and answers its result. */
  call(input: Input, options?: CallOptions): Promise<Output>;
  /** Calls the provider's tool and yields its progress as it comes. */
  stream(input: Input, options?: CallOptions): AsyncIterable<StreamChunk>;
}

/**
 * What generated code knows about a capability's provider in the spec: its kwargs, used until
 * the registry sends the live provider's own, and its output schema, which every remote result
 * is checked against (the proxy's `Output` type is made from it).
 */
export interface ProxyDefaults {
  readonly capability: string;
  /** `agent.tool` of the provider the defaults were taken from. */
  readonly provider?: string;
  readonly kwargs: ToolKwargs;
  /**
   * The provider's output JSON Schema in the spec; a remote result that does not match it
   * fails the call with MeshError `invalid_result`. Absent: results are not checked.
   */
  readonly output?: JsonSchema;
}
