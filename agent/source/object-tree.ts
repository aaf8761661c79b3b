import { normalizeTreePath, type FileTree } from '../core/file-tree.js';

/**
 * A content-addressed tree held in memory: directories, files and symlinks, each with its git
 * object id. Nodes are immutable and shared: two revisions (or two paths) with the same OID
 * point at the same node, so a new revision costs only what changed.
 */
export type TreeNode = DirNode | FileNode | LinkNode;

export interface DirNode {
  readonly type: 'dir';
  readonly oid: string;
  /** Entries by name; `names` lists them sorted bytewise. */
  readonly entries: ReadonlyMap<string, TreeNode>;
  readonly names: readonly string[];
}
export interface FileNode {
  readonly type: 'file';
  readonly oid: string;
  readonly data: Uint8Array;
}
export interface LinkNode {
  readonly type: 'symlink';
  readonly oid: string;
  readonly target: string;
}

export function dirNode(oid: string, entries: Map<string, TreeNode>): DirNode {
  const names = [...entries.keys()].sort(compareBytewise);
  return Object.freeze({ type: 'dir', oid, entries, names: Object.freeze(names) });
}

/**
 * A FileTree over a node graph. Lookups walk the path from the root: no I/O, no copies. The tree
 * never changes, so each path's node is remembered: the render caches ask for the hash of the
 * same shared base files once per overlay (a thousand times in a thousand-cluster fleet).
 */
export function fileTreeFromNodes(root: DirNode): FileTree {
  const found = new Map<string, TreeNode | undefined>();
  const walk = (path: string): TreeNode | undefined => {
    const norm = normalizeTreePath(path);
    if (norm === '') return root;
    let node: TreeNode | undefined = root;
    for (const seg of norm.split('/')) {
      if (node?.type !== 'dir') return undefined;
      node = node.entries.get(seg);
    }
    return node;
  };
  const find = (path: string): TreeNode | undefined => {
    if (found.has(path)) return found.get(path);
    const node = walk(path);
    found.set(path, node);
    return node;
  };
  return {
    stat: (p) => {
      const n = find(p);
      return n ? { type: n.type } : undefined;
    },
    readFile: (p) => {
      const n = find(p);
      return n?.type === 'file' ? n.data : undefined;
    },
    readDir: (p) => {
      const n = find(p);
      return n?.type === 'dir' ? n.names : undefined;
    },
    readLink: (p) => {
      const n = find(p);
      return n?.type === 'symlink' ? n.target : undefined;
    },
    hashOf: (p) => find(p)?.oid,
  };
}

/** Calls `visit` once per distinct node reachable from `roots` (shared subtrees once). */
export function forEachNode(roots: readonly TreeNode[], visit: (node: TreeNode) => void): void {
  const seen = new Set<TreeNode>();
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    visit(node);
    if (node.type === 'dir') for (const child of node.entries.values()) stack.push(child);
  }
}

function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
