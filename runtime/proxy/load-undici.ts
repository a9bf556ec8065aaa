type Undici = typeof import('undici');

/**
 * undici, loaded on first use rather than at start-up: an agent that only serves never parses it,
 * and one that calls out loads it after it already answers its probes. Bundled as CommonJS, its
 * exports arrive only as the namespace's `default` (module.exports), which plain Node sets too.
 */
export async function loadUndici(): Promise<Undici> {
  const namespace = (await import('undici')) as unknown as Undici & { default?: Undici };
  return namespace.default ?? namespace;
}
