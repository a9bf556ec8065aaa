import { visibleWidth } from './style.js';

export interface TableOptions {
  /** Spaces between columns; 2 unless told. */
  readonly gap?: number;
  /** Spaces before every line. */
  readonly indent?: number;
}

/**
 * Lays rows out in aligned columns (cells may carry colour codes; widths ignore them). The
 * last column is not padded, so lines carry no trailing spaces. `header`, when given, is the
 * first row.
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  header?: readonly string[],
  options: TableOptions = {},
): string[] {
  const all = header ? [header, ...rows] : [...rows];
  const gap = ' '.repeat(options.gap ?? 2);
  const indent = ' '.repeat(options.indent ?? 0);
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...all.map((row) => visibleWidth(row[column] ?? ''))),
  );
  return all.map((row) => {
    const cells = widths.map((width, column) => {
      const cell = row[column] ?? '';
      return column === columns - 1 ? cell : cell + ' '.repeat(width - visibleWidth(cell));
    });
    return (indent + cells.join(gap)).trimEnd();
  });
}

/** A list for a table cell: `a, b, c`, or `-` when empty. */
export function listCell(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}
