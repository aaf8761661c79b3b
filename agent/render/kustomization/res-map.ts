/**
 * An ordered set of resources keyed by id, like kustomize's resWrangler, but indexed: appends
 * and id lookups are O(1) instead of scanning the list (kustomize's scans make large builds
 * quadratic). The index is rebuilt lazily after transformers rename things.
 */
import { describeResId, idKey, type ResId, type Resource } from './resource.js';

export class IdConflictError extends Error {
  constructor(
    readonly id: ResId,
    readonly existing: Resource,
    readonly incoming: Resource,
  ) {
    super(`may not add resource with an already registered id: ${describeResId(id)}`);
  }
}

export class ResMap {
  private list: Resource[] = [];
  private byCurrent: Map<string, Resource[]> | undefined;
  private byAny: Map<string, Resource[]> | undefined;

  get size(): number {
    return this.list.length;
  }

  resources(): readonly Resource[] {
    return this.list;
  }

  /** Call after changing names, namespaces, kinds or apiVersions of resources in the map. */
  invalidate(): void {
    this.byCurrent = undefined;
    this.byAny = undefined;
  }

  private currentIndex(): Map<string, Resource[]> {
    if (!this.byCurrent) {
      const idx = new Map<string, Resource[]>();
      for (const r of this.list) push(idx, idKey(r.curId()), r);
      this.byCurrent = idx;
    }
    return this.byCurrent;
  }

  private anyIndex(): Map<string, Resource[]> {
    if (!this.byAny) {
      const idx = new Map<string, Resource[]>();
      for (const r of this.list) {
        const seen = new Set<string>();
        for (const id of [...r.prevIds(), r.curId()]) {
          const k = idKey(id);
          if (!seen.has(k)) {
            seen.add(k);
            push(idx, k, r);
          }
        }
      }
      this.byAny = idx;
    }
    return this.byAny;
  }

  append(res: Resource): void {
    const id = res.curId();
    const key = idKey(id);
    const idx = this.currentIndex();
    const existing = idx.get(key);
    if (existing && existing.length > 0) throw new IdConflictError(id, existing[0]!, res);
    this.list.push(res);
    push(idx, key, res);
    this.byAny = undefined;
  }

  appendAll(resources: Iterable<Resource>): void {
    for (const r of resources) this.append(r);
  }

  byCurrentId(id: ResId): readonly Resource[] {
    return this.currentIndex().get(idKey(id)) ?? [];
  }

  /** Resources whose current or any previous id equals `id`, in list order. */
  byAnyId(id: ResId): readonly Resource[] {
    return this.anyIndex().get(idKey(id)) ?? [];
  }

  indexOf(res: Resource): number {
    return this.list.indexOf(res);
  }

  replaceAt(index: number, res: Resource): void {
    this.list[index] = res;
    this.invalidate();
  }

  /** Keeps only the resources `keep` accepts (and drops those emptied by `$patch: delete`). */
  filter(keep: (r: Resource) => boolean): void {
    const next = this.list.filter((r) => !r.isEmpty() && keep(r));
    if (next.length !== this.list.length) {
      this.list = next;
      this.invalidate();
    }
  }

  dropEmpties(): void {
    this.filter(() => true);
  }

  setAll(resources: Resource[]): void {
    this.list = resources;
    this.invalidate();
  }
}

function push(idx: Map<string, Resource[]>, key: string, r: Resource): void {
  const l = idx.get(key);
  if (l) l.push(r);
  else idx.set(key, [r]);
}
