/** One tool of a registered agent, as dependency resolution sees it. */
export interface ProviderTool {
  readonly agentId: string;
  readonly agentName: string;
  readonly namespace: string;
  readonly functionName: string;
  readonly capability: string;
  readonly version: string;
  readonly tags: readonly string[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** `http://host:port`; empty when the agent announced no reachable port. */
  readonly endpoint: string;
}

/** One dependency position of a tool, as its agent declared it. */
export interface DependencyRequest {
  readonly capability: string;
  /** A semver range; `*` or empty accepts every version. */
  readonly version: string;
  /** `tag` required, `+tag` preferred, `-tag` excluded, `[a, b]` any one of them required. */
  readonly tags: readonly (string | readonly string[])[];
  readonly namespace?: string;
  readonly required: boolean;
}

/** A provider that satisfies a dependency, with the score that ranked it. */
export interface Candidate {
  readonly provider: ProviderTool;
  /** Number of preferred (`+tag`) tags the provider carries. */
  readonly score: number;
}

/** Why a provider of the right capability was not chosen. */
export interface Rejection {
  readonly agentId: string;
  readonly functionName: string;
  readonly reason: string;
}
