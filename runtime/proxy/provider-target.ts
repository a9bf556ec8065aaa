import type { ToolKwargs } from '../metadata.js';

/** One provider a proxy may call: where, which tool, and its kwargs as the registry sent them. */
export interface ProviderTarget {
  readonly agentId: string;
  readonly functionName: string;
  /** `http://host:port`. */
  readonly endpoint: string;
  readonly kwargs: ToolKwargs;
}
