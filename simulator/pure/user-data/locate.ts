// Maps a data path (as zod reports it) to a source offset in the parsed YAML document.
//
// Contract of `locate(doc, path, prefer)`:
// - the whole path exists: prefer 'key' → the key node of the last segment (for sequence items,
//   the item itself); prefer 'value' → the value node, unless the value is empty (`key:` with
//   nothing after it), in which case the key node;
// - otherwise: the key node of the deepest existing ancestor (where the missing key belongs),
//   or offset 0 (the `#cloud-config` line) when even the first segment is missing.
// Also returns the source text of the value node, used to quote numbers back in hints.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

export type PathSegment = string | number;

export interface Location {
  offset: number;
  /** True when every path segment was found in the document. */
  found: boolean;
  /** Source text of the located value node (scalars only). */
  source?: string;
}

const start = (n: Node | null | undefined): number | undefined => n?.range?.[0];

function isEmptyScalar(n: unknown): boolean {
  return isScalar(n) && n.value === null && (n.source === '' || n.source === undefined);
}

export function locate(doc: Document, path: readonly PathSegment[], prefer: 'key' | 'value'): Location {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const seg of path) {
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair) {
        nextKey = pair.key as Node;
        next = pair.value;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      nextKey = (next ?? undefined) as Node | undefined;
    }
    if (nextKey === undefined) return { offset: start(keyNode) ?? 0, found: false };
    node = next;
    keyNode = nextKey;
  }
  const valueNode = node as Node | null | undefined;
  if (prefer === 'key' || valueNode == null || isEmptyScalar(valueNode)) {
    return { offset: start(keyNode) ?? start(valueNode) ?? 0, found: true };
  }
  const source = isScalar(valueNode) && typeof valueNode.source === 'string' ? valueNode.source : undefined;
  return { offset: start(valueNode) ?? start(keyNode) ?? 0, found: true, source };
}
