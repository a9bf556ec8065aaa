import type { StoredSpan } from './stored-span.js';

/** A span in call-tree order, with its depth (0 for a root). */
export type TreeSpan = StoredSpan & { readonly depth: number };

/**
 * The spans of one trace depth-first, each after its parent and children by start time: the
 * order `meshctl trace` and the dashboard print them in. A span whose parent is not among them
 * (not exported, or evicted) is shown as a root.
 */
export function callTree(spans: readonly StoredSpan[]): TreeSpan[] {
  const ids = new Set(spans.map((span) => span.span_id));
  const children = new Map<string | undefined, StoredSpan[]>();
  for (const span of spans) {
    const parent =
      span.parent_span_id !== undefined && ids.has(span.parent_span_id)
        ? span.parent_span_id
        : undefined;
    const siblings = children.get(parent) ?? [];
    siblings.push(span);
    children.set(parent, siblings);
  }
  for (const siblings of children.values()) siblings.sort((a, b) => a.start_ms - b.start_ms);
  const ordered: TreeSpan[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push({ ...span, depth });
      visit(span.span_id, depth + 1);
    }
  };
  visit(undefined, 0);
  return ordered;
}
