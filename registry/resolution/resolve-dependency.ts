import type semver from 'semver';
import { parsedRange, parsedVersion } from './parsed-semver.js';
import type { Candidate, DependencySpec, ProviderTool, Rejection } from './provider.js';
import { tagGroupRejection } from './tag-group.js';

/** The namespace of an agent or a dependency that names none. */
export const defaultNamespace = 'default';

/** The outcome of resolving one dependency position. */
export interface Resolution {
  /** Every acceptable provider, best first. */
  readonly candidates: readonly Candidate[];
  /** Providers of the capability that were turned down, and why. */
  readonly rejections: readonly Rejection[];
  /**
   * For a position given as alternatives, the index of the one the candidates satisfy;
   * absent when nothing resolves, and for a plain dependency.
   */
  readonly alternative?: number;
}

/**
 * Resolves one dependency against the providers of its capability that are usable right now
 * (healthy and available). A tool of the consumer's own agent ranks first: it is called in
 * process. Then by preference score, highest version, and agent id, so that every replica of
 * the registry ranks the same way.
 */
export function resolveDependency(
  request: DependencySpec,
  providers: readonly ProviderTool[],
  consumerAgentId: string,
): Resolution {
  const range = request.version === '' ? '*' : request.version;
  const candidates: Candidate[] = [];
  const rejections: Rejection[] = [];
  // An unparseable range is kept at registration (as the predecessor does) and resolves to
  // nothing, each provider rejected with the reason, so that the event and `meshctl status` say it.
  const unusableRange =
    parsedRange(range) === null ? `the range "${range}" is not a semver range` : undefined;
  for (const provider of providers) {
    const reason = unusableRange ?? rejectionReason(request, range, provider);
    if (reason) {
      rejections.push({ agentId: provider.agentId, functionName: provider.functionName, reason });
    } else {
      candidates.push({ provider, score: preferenceScore(request.tags, provider.tags) });
    }
  }
  candidates.sort(
    (a, b) =>
      Number(b.provider.agentId === consumerAgentId) -
        Number(a.provider.agentId === consumerAgentId) ||
      b.score - a.score ||
      compareVersionsDescending(a.provider.version, b.provider.version) ||
      compareText(a.provider.agentId, b.provider.agentId) ||
      compareText(a.provider.functionName, b.provider.functionName),
  );
  return { candidates, rejections };
}

function rejectionReason(
  request: DependencySpec,
  range: string,
  provider: ProviderTool,
): string | undefined {
  // One rule for both spellings: a dependency without a namespace looks in `default`, which is
  // also the namespace of an agent that names none (see docs/registry.md).
  const namespace = request.namespace || defaultNamespace;
  if (namespace !== provider.namespace) {
    return `namespace ${provider.namespace} is not ${namespace}`;
  }
  const version = parsedVersion(provider.version);
  if (version === null) return `version ${provider.version} is not semver`;
  if (!parsedRange(range)?.test(version)) {
    if (version.prerelease.length === 0)
      return `version ${provider.version} does not satisfy ${range}`;
    const release = `${version.major}.${version.minor}.${version.patch}`;
    return `version ${provider.version} does not satisfy ${range} (a prerelease satisfies only a range that names a prerelease of ${release}, such as >=${release}-0)`;
  }
  for (const tag of request.tags) {
    if (Array.isArray(tag)) {
      const reason = tagGroupRejection(tag, provider.tags);
      if (reason) return reason;
    } else if (typeof tag === 'string' && tag.startsWith('-')) {
      if (provider.tags.includes(tag.slice(1))) return `has excluded tag ${tag.slice(1)}`;
    } else if (typeof tag === 'string' && !tag.startsWith('+')) {
      if (!provider.tags.includes(tag)) return `lacks required tag ${tag}`;
    }
  }
  return undefined;
}

function preferenceScore(requested: DependencySpec['tags'], carried: readonly string[]): number {
  let score = 0;
  for (const tag of requested) {
    for (const option of typeof tag === 'string' ? [tag] : tag) {
      if (option.startsWith('+') && carried.includes(option.slice(1))) score += 1;
    }
  }
  return score;
}

// Both are versions of candidates, so valid.
function compareVersionsDescending(a: string, b: string): number {
  return (parsedVersion(b) as semver.SemVer).compare(parsedVersion(a) as semver.SemVer);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
