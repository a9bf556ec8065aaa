import { relative } from 'node:path';
import type { WriteReport } from './outputs.js';

/** A generation's outcome as the lines a person reads, and whether it is a failure (drift). */
export interface ReportLines {
  readonly failed: boolean;
  readonly lines: readonly string[];
}

/**
 * Describes a write report: what was written, removed and scaffolded, or with `check` what is
 * out of date and the command (`rerun`) that brings it up to date. Paths relative to `cwd`.
 */
export function reportLines(
  report: WriteReport,
  options: { readonly check: boolean; readonly rerun: string; readonly cwd?: string },
): ReportLines {
  const show = (path: string) => relative(options.cwd ?? process.cwd(), path);
  const { changed, stale, scaffolded } = report;
  if (options.check) {
    if (changed.length + stale.length === 0)
      return { failed: false, lines: ['generated code is up to date'] };
    return {
      failed: true,
      lines: [
        ...changed.map((path) => `out of date: ${show(path)}`),
        ...stale.map((path) => `stale (no longer generated): ${show(path)}`),
        `run \`${options.rerun}\` and commit the result`,
      ],
    };
  }
  const lines = [
    ...changed.map((path) => `wrote ${show(path)}`),
    ...stale.map((path) => `removed ${show(path)}`),
    ...scaffolded.map((path) => `scaffolded ${show(path)} (yours from now on)`),
  ];
  return { failed: false, lines: lines.length > 0 ? lines : ['generated code is up to date'] };
}
