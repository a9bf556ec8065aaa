import type { ToolKwargs } from '../metadata.js';

/** One provider a proxy may call: where, which tool, and its kwargs as the registry sent them. */
export interface ProviderTarget {
  readonly agentId: string;
  readonly functionName: string;
  /** `http://host:port`. */
  readonly endpoint: string;
  readonly kwargs: ToolKwargs;
  /**
   * 0 for the providers ranked best (equal preference score and version: replicas of one
   * provider), 1, 2, … for the fallbacks. Calls spread over the best tier and go down a tier
   * only when none of it can take the call.
   */
  readonly tier?: number;
}
