const withUnit = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const plainSeconds = /^\d+(?:\.\d+)?$/;
const millisecondsPerUnit: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a duration written with a unit (`250ms`, `5s`, `1.5m`, `2h`); undefined for
 * anything else. The one grammar of units for the spec's kwargs and the environment.
 */
export function durationWithUnitMs(text: string): number | undefined {
  const match = withUnit.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (millisecondsPerUnit[match[2] as string] as number);
}

/**
 * Milliseconds of a duration as an environment variable holds it: plain seconds (`5`, `0.5`,
 * the predecessor's convention) or a number with a unit. Never negative; undefined when unusable.
 */
export function durationTextMs(text: string): number | undefined {
  const trimmed = text.trim();
  return plainSeconds.test(trimmed) ? Number(trimmed) * 1_000 : durationWithUnitMs(trimmed);
}
