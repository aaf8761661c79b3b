/**
 * File access for one kustomization directory, with kustomize's load restrictions: under
 * LoadRestrictionsRootOnly (the default) files must resolve, symlinks followed, to a path within
 * the kustomization's directory; under LoadRestrictionsNone anywhere. Bases may be other
 * directories but never an ancestor of a directory already being built (a cycle). Remote URLs are
 * refused, so nothing is ever fetched.
 *
 * Two kinds of tree: a repository (the agent, and `drover build` inside a git work tree) is the
 * boundary: nothing resolves above its root and no absolute path or symlink target is followed.
 * The local filesystem (`drover build` elsewhere, as kustomize) is a tree rooted at "/": ".." at
 * the root stays there and absolute paths and symlink targets resolve from it.
 */
import { normalizeTreePath, type FileTree } from '../core/file-tree.js';

export type LoadErrorKind = 'not-found' | 'not-file' | 'not-dir' | 'outside-root' | 'outside-tree' | 'absolute' | 'remote' | 'cycle' | 'symlink-loop' | 'over-limit';

export class LoadError extends Error {
  constructor(
    readonly kind: LoadErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const LoadRestrictor = {
  RootOnly: 'LoadRestrictionsRootOnly',
  None: 'LoadRestrictionsNone',
} as const;
export type LoadRestrictor = (typeof LoadRestrictor)[keyof typeof LoadRestrictor];

/** Which files a build may read (see the module comment). */
export interface LoadPolicy {
  /** Whether files a kustomization loads must be within its directory (kustomize's --load-restrictor). */
  readonly restrictor: LoadRestrictor;
  /** The tree is the local filesystem rooted at "/" rather than a repository that bounds the build. */
  readonly filesystem: boolean;
  /** Bytes of files read in one build at most (bases, resources, patches, generator sources). */
  readonly maxTotalBytes: number;
}

export function defaultLoadPolicy(): LoadPolicy {
  return { restrictor: LoadRestrictor.RootOnly, filesystem: false, maxTotalBytes: Infinity };
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `path` (tree-relative, may contain ".." and symlinks) to a real tree-relative path.
 * In a filesystem tree ".." at the root stays at the root and absolute symlink targets are
 * followed; in a repository both are errors.
 */
export function realPath(tree: FileTree, path: string, display: string = path, filesystem = false): string {
  let stack: string[] = [];
  const queue = path.split('/');
  let hops = 0;
  while (queue.length > 0) {
    const seg = queue.shift()!;
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (stack.length === 0) {
        if (filesystem) continue;
        throw new LoadError('outside-tree', `"${display}" is outside the repository`);
      }
      stack.pop();
      continue;
    }
    const candidate = stack.length ? `${stack.join('/')}/${seg}` : seg;
    const st = tree.stat(candidate);
    if (st?.type === 'symlink') {
      if (++hops > MAX_SYMLINK_HOPS) throw new LoadError('symlink-loop', `too many levels of symbolic links in "${display}"`);
      const target = tree.readLink(candidate) ?? '';
      if (target.startsWith('/')) {
        if (!filesystem) throw new LoadError('absolute', `"${display}" is a symlink to the absolute path "${target}"`);
        stack = [];
      }
      queue.unshift(...target.split('/'));
      continue;
    }
    stack.push(seg);
  }
  return stack.join('/');
}

export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

export function joinTreePath(dir: string, rel: string): string {
  return dir === '' ? rel : `${dir}/${rel}`;
}

/** kustomize's IsRemoteFile and git.NewRepoSpecFromURL, reduced to "does this name a remote". */
export function isRemoteSpec(path: string): boolean {
  let p = path;
  if (p.toLowerCase().startsWith('git::')) p = p.slice(5);
  const lower = p.toLowerCase();
  if (['ssh://', 'https://', 'http://', 'file://'].some((s) => lower.startsWith(s))) return true;
  if (/^[a-zA-Z][a-zA-Z0-9-]*@/.test(p)) return true;
  return lower.startsWith('github.com/') || lower.startsWith('github.com:');
}

/** What every loader of one build shares: the tree, the policy and the running byte count. */
interface LoaderShared {
  readonly tree: FileTree;
  readonly policy: LoadPolicy;
  readonly onRead: ((path: string) => void) | undefined;
  bytesRead: number;
}

/** Lexically cleans a tree path ("a/../b" → "b"); ".." above the root stays in a repository path. */
function cleanPath(path: string, filesystem: boolean): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && filesystem) continue;
    else out.push(seg);
  }
  return out.join('/');
}

export class TreeLoader {
  private constructor(
    private readonly shared: LoaderShared,
    /** The real (symlink-free) tree-relative directory of this kustomization. */
    readonly root: string,
    private readonly referrer: TreeLoader | undefined,
  ) {}

  static at(tree: FileTree, dir: string, onRead?: (path: string) => void, policy: LoadPolicy = defaultLoadPolicy()): TreeLoader {
    const shared: LoaderShared = { tree, policy, onRead, bytesRead: 0 };
    const root = realPath(tree, normalizeTreePath(dir), dir, policy.filesystem);
    if (tree.stat(root)?.type !== 'dir') throw new LoadError('not-dir', `"${dir}" is not a directory`);
    onRead?.(root);
    return new TreeLoader(shared, root, undefined);
  }

  get tree(): FileTree {
    return this.shared.tree;
  }

  /** How a tree path is shown in messages: repository-relative, or absolute on the filesystem. */
  show(path: string): string {
    if (this.shared.policy.filesystem) return `/${cleanPath(path, true)}`;
    return path || '.';
  }

  /** A display path for an entry of this kustomization. */
  display(rel: string): string {
    if (this.shared.policy.filesystem) return this.show(this.resolveName(rel));
    return normalizeTreePath(joinTreePath(this.root, rel));
  }

  /** The tree path an entry names, before symlinks: relative to this directory, or absolute on the filesystem. */
  private resolveName(rel: string): string {
    if (rel.startsWith('/')) return normalizeTreePath(rel);
    return normalizeTreePath(joinTreePath(this.root, rel));
  }

  private refuseUnreachable(rel: string, what: 'resource' | 'base'): void {
    if (isRemoteSpec(rel)) {
      const from = this.shared.policy.filesystem ? 'local files' : 'the repository';
      throw new LoadError('remote', `remote ${what} "${rel}" is not supported: Drover builds only from ${from} (no network access)`);
    }
    if (rel.startsWith('/') && (what === 'base' || !this.shared.policy.filesystem)) {
      throw new LoadError('absolute', `absolute path "${rel}" is not allowed`);
    }
  }

  /** Reads a file named relative to this kustomization, within its directory unless the policy allows more. */
  load(rel: string): { path: string; data: Uint8Array } {
    this.refuseUnreachable(rel, 'resource');
    const { tree, policy } = this.shared;
    const direct = this.resolveName(rel);
    const path = realPath(tree, direct, this.display(rel), policy.filesystem);
    const st = tree.stat(path);
    if (st?.type === 'dir') throw new LoadError('not-file', `"${this.display(rel)}" is not a file`);
    if (policy.restrictor === LoadRestrictor.RootOnly && !isWithin(path, this.root)) {
      const via = path !== direct && !direct.includes('..') ? ` (a symlink to "${this.show(path)}")` : '';
      throw new LoadError('outside-root', `file "${rel}"${via} is not in or below "${this.show(this.root)}" (kustomize's load restrictions)`);
    }
    if (!st) throw new LoadError('not-found', `"${this.display(rel)}" does not exist`);
    if (st.type !== 'file') throw new LoadError('not-file', `"${this.display(rel)}" is not a file`);
    const data = tree.readFile(path);
    if (data === undefined) throw new LoadError('not-found', `"${this.display(rel)}" does not exist`);
    this.shared.bytesRead += data.byteLength;
    if (this.shared.bytesRead > policy.maxTotalBytes) {
      throw new LoadError('over-limit', `reading "${this.display(rel)}" takes this build over its limit of ${formatMiB(policy.maxTotalBytes)} of files read`);
    }
    this.shared.onRead?.(path);
    return { path, data };
  }

  /** True when `rel` names a directory without symlinks on the way (a cheap check, never throws). */
  isPlainDirectory(rel: string): boolean {
    if (rel.startsWith('/') || isRemoteSpec(rel)) return false;
    const { tree, policy } = this.shared;
    const parts: string[] = this.root === '' ? [] : this.root.split('/');
    for (const seg of rel.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (parts.length === 0) {
          if (policy.filesystem) continue;
          return false;
        }
        parts.pop();
        continue;
      }
      parts.push(seg);
      if (tree.stat(parts.join('/'))?.type !== 'dir') return false;
    }
    return true;
  }

  /** True when `rel` exists and is a regular file after resolving symlinks, within the root. */
  isFile(rel: string): boolean {
    const direct = joinTreePath(this.root, rel);
    const st = this.shared.tree.stat(direct);
    if (st === undefined) return false;
    if (st.type === 'file') return true;
    if (st.type === 'dir') return false;
    try {
      const path = realPath(this.shared.tree, direct, direct, this.shared.policy.filesystem);
      const within = this.shared.policy.restrictor === LoadRestrictor.None || isWithin(path, this.root);
      return within && this.shared.tree.stat(path)?.type === 'file';
    } catch {
      return false;
    }
  }

  private *chain(): Generator<TreeLoader> {
    yield this;
    if (this.referrer) yield* this.referrer.chain();
  }

  /** A loader for a base or component directory named relative to this kustomization. */
  child(rel: string): TreeLoader {
    if (rel === '') throw new LoadError('not-dir', 'new root cannot be empty');
    this.refuseUnreachable(rel, 'base');
    const { tree, policy } = this.shared;
    const path = realPath(tree, joinTreePath(this.root, rel), this.display(rel), policy.filesystem);
    const st = tree.stat(path);
    if (!st) throw new LoadError('not-found', `"${this.display(rel)}" does not exist`);
    if (st.type !== 'dir') throw new LoadError('not-dir', `"${this.display(rel)}" is not a directory`);
    for (const l of this.chain()) {
      if (isWithin(l.root, path)) {
        throw new LoadError('cycle', `cycle detected: "${this.show(path)}" contains "${this.show(l.root)}", which is already being built`);
      }
    }
    this.shared.onRead?.(path);
    return new TreeLoader(this.shared, path, this);
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
