/**
 * Built bases kept across builds. An entry is reused only when every directory and file its build
 * read still has the same content hash (FileTree.hashOf: git tree and blob OIDs), so a commit that
 * touches one cluster overlay rebuilds that overlay and whatever includes it, nothing else. Trees
 * without hashes are never cached.
 */
import type { FileTree } from '../core/file-tree.js';
import type { CachedBase, SharedBaseCache } from './build.js';

interface Entry {
  readonly value: CachedBase;
  readonly hashes: ReadonlyMap<string, string>;
}

/** Entries kept at most (bases of a very large fleet); the oldest are dropped first. */
const MAX_ENTRIES = 50_000;

export class RenderCache implements SharedBaseCache {
  private readonly entries = new Map<string, Entry>();

  get(dir: string, tree: FileTree): CachedBase | undefined {
    const e = this.entries.get(dir);
    if (!e) return undefined;
    for (const [path, hash] of e.hashes) {
      if (tree.hashOf(path) !== hash) {
        this.entries.delete(dir);
        return undefined;
      }
    }
    return e.value;
  }

  set(dir: string, tree: FileTree, value: CachedBase): void {
    const hashes = new Map<string, string>();
    for (const path of value.deps) {
      const h = tree.hashOf(path);
      if (h === undefined) return;
      hashes.set(path, h);
    }
    this.entries.delete(dir);
    this.entries.set(dir, { value, hashes });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}
