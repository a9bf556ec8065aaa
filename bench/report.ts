/** One line of the benchmark table: a figure and its baseline, measured in the same run. */
export interface BenchResult {
  readonly benchmark: string;
  readonly figure: string;
  readonly baseline: string;
  /** figure / baseline, in the unit the benchmark states (e.g. "1.8× time"). */
  readonly ratio: string;
  /** Free text: the goal, what the baseline is. */
  readonly note?: string;
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Formats results as one aligned table. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'figure', 'baseline (same run)', 'ratio', 'note'];
  const rows = results.map((result) => [
    result.benchmark,
    result.figure,
    result.baseline,
    result.ratio,
    result.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join(' | ')
      .trimEnd();
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}
