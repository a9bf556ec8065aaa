import { UsageError } from './usage-error.js';

export type OutputFormat = 'text' | 'json' | 'github';

/** Reads `--json` / `--format` into one format; an unknown format is a usage error. */
export function chooseFormat(options: { json?: boolean; format?: string }): OutputFormat {
  if (options.json) return 'json';
  const format = options.format ?? 'text';
  if (format === 'text' || format === 'json' || format === 'github') return format;
  throw new UsageError(`unknown format "${format}"; use text, json or github`);
}
