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

/** The conditions one alternative of a dependency position sets on a provider. */
export interface DependencySpec {
  readonly capability: string;
  /**
   * A semver range, in npm's syntax or the predecessor's (commas, `!=`); `*` or empty accepts
   * every release.
   */
  readonly version: string;
  /** `tag` required, `+tag` preferred, `-tag` excluded, `[a, b]` any one of them required. */
  readonly tags: readonly (string | readonly string[])[];
  readonly namespace?: string;
}

/** One dependency position of a tool, as its agent declared it. */
export interface DependencyRequest extends DependencySpec {
  /** Whether the tool is unavailable while the position resolves to no provider. */
  readonly required: boolean;
  /**
   * Alternatives tried in order when this one has no provider: the position resolves to the
   * first that has any. Absent for a plain dependency.
   */
  readonly fallbacks?: readonly DependencySpec[];
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
