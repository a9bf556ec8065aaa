import type { Logger } from 'pino';
import type { KwargFallback } from './call-policy.js';

/** Hears of a provider's kwarg that the proxies could not use (provider = `agent.tool`). */
export type KwargFallbackListener = (provider: string, fallback: KwargFallback) => void;

// Distinct bad settings remembered; past this the log is the lesser evil than the memory.
const rememberedAtMost = 10_000;

/**
 * Warns about each unusable kwarg once per provider, kwarg and value: proxies are rebuilt on
 * every topology change, and the same bad setting must not fill the log.
 */
export function logKwargFallbacksOnce(logger: Logger): KwargFallbackListener {
  const seen = new Set<string>();
  return (provider, { kwarg, value, used }) => {
    const key = JSON.stringify([provider, kwarg, value]) ?? `${provider}\0${kwarg}`;
    if (seen.has(key)) return;
    if (seen.size >= rememberedAtMost) seen.clear();
    seen.add(key);
    logger.warn(
      { provider, kwarg, value, used },
      `a kwarg of ${provider} cannot be used; using ${used} instead`,
    );
  };
}
