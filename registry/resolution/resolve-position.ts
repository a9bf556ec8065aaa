import type { DependencyRequest, ProviderTool, Rejection } from './provider.js';
import { type Resolution, resolveDependency } from './resolve-dependency.js';

/**
 * Resolves one dependency position: a plain dependency as itself; a position given as
 * alternatives to the first alternative that has candidates (an ordered fallback, as the
 * predecessor's agents declare it), with the reasons every alternative tried turned providers
 * down.
 */
export function resolvePosition(
  request: DependencyRequest,
  providersOf: (capability: string) => readonly ProviderTool[],
  consumerAgentId: string,
): Resolution {
  const first = resolveDependency(request, providersOf(request.capability), consumerAgentId);
  if (!request.fallbacks || request.fallbacks.length === 0) return first;
  if (first.candidates.length > 0) return { ...first, alternative: 0 };
  const rejections: Rejection[] = [...first.rejections];
  for (const [index, fallback] of request.fallbacks.entries()) {
    const resolution = resolveDependency(
      fallback,
      providersOf(fallback.capability),
      consumerAgentId,
    );
    rejections.push(...resolution.rejections);
    if (resolution.candidates.length > 0) {
      return { candidates: resolution.candidates, rejections, alternative: index + 1 };
    }
  }
  return { candidates: [], rejections };
}
