import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Where the value at `path` starts in the document, or where its nearest existing ancestor
 * starts when the value is missing (a required field points at the map that lacks it). With
 * `key`, points at that key of the map at `path` instead (for unknown fields).
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: ReadonlyArray<string | number>, key?: string): Position | undefined {
  let node: unknown = doc.contents;
  let found = node;
  for (const seg of path) {
    const next = childOf(node, seg);
    if (next === undefined) break;
    node = found = next;
  }
  if (key !== undefined && isMap(found)) {
    const pair = found.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) found = pair.key;
  }
  const range = (found as Node | null | undefined)?.range;
  if (!range) return undefined;
  return lineCounter.linePos(range[0]);
}

function childOf(node: unknown, seg: string | number): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
    return pair ? (pair.value ?? pair.key) : undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg] ?? undefined;
  return undefined;
}
