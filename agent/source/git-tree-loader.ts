import type * as nodeFs from 'node:fs';
import { readObject, readTree, type PromiseFsClient } from 'isomorphic-git';
import { createObjectReadFs } from './object-read-fs.js';
import { dirNode, forEachNode, type DirNode, type TreeNode } from './object-tree.js';

/**
 * Reads commits' trees from a git directory into shared in-memory nodes, straight from the
 * object store (no working tree). Nodes are cached by OID across revisions: loading a commit
 * that changed one file reads only the trees on that file's path and the new blob.
 */
export interface TreeLoader {
  /** The root tree of a commit (an annotated tag is peeled to its commit). */
  loadCommit(oid: string): Promise<{ commit: string; root: DirNode }>;
  /** Keeps only the nodes reachable from `roots` in the cache; the rest may be collected. */
  retain(roots: readonly DirNode[]): void;
  /** Objects read from git since the loader was made (for measurements and tests). */
  readonly objectsRead: number;
  /** Nodes held in the cache. */
  readonly cached: number;
}

/** Per load: the object-read fs view and isomorphic-git's pack cache. */
interface LoadContext {
  readonly fs: PromiseFsClient;
  readonly cache: object;
}

const MODE_DIR = '040000';
const MODE_LINK = '120000';
const MODE_SUBMODULE = '160000';

export function createTreeLoader(options: { fs: typeof nodeFs; gitdir: string }): TreeLoader {
  const { gitdir } = options;
  let nodes = new Map<string, TreeNode>();
  const pending = new Map<string, Promise<TreeNode>>();
  let objectsRead = 0;

  const once = (key: string, load: () => Promise<TreeNode>): Promise<TreeNode> => {
    const hit = nodes.get(key);
    if (hit) return Promise.resolve(hit);
    let p = pending.get(key);
    if (!p) {
      p = load().then((node) => {
        nodes.set(key, node);
        pending.delete(key);
        return node;
      });
      p.catch(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  };

  // One entry at a time: reading is CPU-bound once the object-read fs removes the syscalls, and
  // thousands of concurrent reads only add garbage-collection pressure (measured: 3x slower).
  const loadTree = (oid: string, ctx: LoadContext): Promise<DirNode> =>
    once(`tree:${oid}`, async () => {
      const { tree } = await readTree({ fs: ctx.fs, gitdir, oid, cache: ctx.cache });
      objectsRead++;
      const children = new Map<string, TreeNode>();
      for (const e of tree) {
        if (e.mode === MODE_SUBMODULE) continue; // a gitlink has no content in this repository
        if (e.mode === MODE_DIR) children.set(e.path, await loadTree(e.oid, ctx));
        else if (e.mode === MODE_LINK) children.set(e.path, await loadLink(e.oid, ctx));
        else children.set(e.path, await loadBlob(e.oid, ctx));
      }
      return dirNode(oid, children);
    }) as Promise<DirNode>;

  const loadBlob = (oid: string, ctx: LoadContext): Promise<TreeNode> =>
    once(`blob:${oid}`, async () => {
      const { object } = await readObject({ fs: ctx.fs, gitdir, oid, cache: ctx.cache, format: 'content' });
      objectsRead++;
      return Object.freeze({ type: 'file', oid, data: object as Uint8Array });
    });

  const loadLink = (oid: string, ctx: LoadContext): Promise<TreeNode> =>
    once(`link:${oid}`, async () => {
      const { object } = await readObject({ fs: ctx.fs, gitdir, oid, cache: ctx.cache, format: 'content' });
      objectsRead++;
      return Object.freeze({ type: 'symlink', oid, target: new TextDecoder().decode(object as Uint8Array) });
    });

  return {
    async loadCommit(oid) {
      // A fresh isomorphic-git cache per load: it holds whole packfiles in memory, and our node
      // cache already keeps everything a later load would need from them.
      const ctx: LoadContext = { fs: await createObjectReadFs(options.fs, gitdir), cache: {} };
      let commit = oid;
      for (let hops = 0; hops < 10; hops++) {
        const { type, object } = await readObject({ fs: ctx.fs, gitdir, oid: commit, cache: ctx.cache, format: 'parsed' });
        if (type === 'commit') {
          const root = await loadTree((object as { tree: string }).tree, ctx);
          return { commit, root };
        }
        if (type !== 'tag') throw new Error(`object ${commit} is a ${type}, not a commit`);
        commit = (object as { object: string }).object;
      }
      throw new Error(`tag chain from ${oid} is too long`);
    },
    retain(roots) {
      const kept = new Map<string, TreeNode>();
      forEachNode(roots, (n) => kept.set(`${n.type === 'dir' ? 'tree' : n.type === 'file' ? 'blob' : 'link'}:${n.oid}`, n));
      nodes = kept;
    },
    get objectsRead() {
      return objectsRead;
    },
    get cached() {
      return nodes.size;
    },
  };
}
