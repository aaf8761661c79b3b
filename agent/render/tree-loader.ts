/**
 * File access for one kustomization directory, with kustomize's default load restrictions
 * (LoadRestrictionsRootOnly): files must resolve, symlinks followed, to a path within the
 * kustomization's directory; bases may be other directories of the tree but never an ancestor of
 * a directory already being built (a cycle) and never outside the tree. Remote URLs and absolute
 * paths are refused, so nothing is ever fetched.
 */
import { normalizeTreePath, type FileTree } from '../core/file-tree.js';

export type LoadErrorKind = 'not-found' | 'not-file' | 'not-dir' | 'outside-root' | 'outside-tree' | 'absolute' | 'remote' | 'cycle' | 'symlink-loop';

export class LoadError extends Error {
  constructor(
    readonly kind: LoadErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SYMLINK_HOPS = 40;

/** Resolves `path` (repo-relative, may contain ".." and symlinks) to a real repo-relative path. */
export function realPath(tree: FileTree, path: string, display: string = path): string {
  const stack: string[] = [];
  const queue = path.split('/');
  let hops = 0;
  while (queue.length > 0) {
    const seg = queue.shift()!;
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (stack.length === 0) throw new LoadError('outside-tree', `"${display}" is outside the repository`);
      stack.pop();
      continue;
    }
    const candidate = stack.length ? `${stack.join('/')}/${seg}` : seg;
    const st = tree.stat(candidate);
    if (st?.type === 'symlink') {
      if (++hops > MAX_SYMLINK_HOPS) throw new LoadError('symlink-loop', `too many levels of symbolic links in "${display}"`);
      const target = tree.readLink(candidate) ?? '';
      if (target.startsWith('/')) throw new LoadError('absolute', `"${display}" is a symlink to the absolute path "${target}"`);
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

export class TreeLoader {
  private constructor(
    readonly tree: FileTree,
    /** The real (symlink-free) repo-relative directory of this kustomization. */
    readonly root: string,
    private readonly referrer: TreeLoader | undefined,
    private readonly onRead: ((path: string) => void) | undefined,
  ) {}

  static at(tree: FileTree, dir: string, onRead?: (path: string) => void): TreeLoader {
    const root = realPath(tree, normalizeTreePath(dir), dir);
    if (tree.stat(root)?.type !== 'dir') throw new LoadError('not-dir', `"${dir}" is not a directory`);
    onRead?.(root);
    return new TreeLoader(tree, root, undefined, onRead);
  }

  /** A repo-relative display path for an entry of this kustomization. */
  display(rel: string): string {
    return normalizeTreePath(joinTreePath(this.root, rel));
  }

  /** Reads a file named relative to this kustomization, within its directory. */
  load(rel: string): { path: string; data: Uint8Array } {
    if (isRemoteSpec(rel)) throw new LoadError('remote', `remote resource "${rel}" is not supported: Drover builds only from the repository (no network access)`);
    if (rel.startsWith('/')) throw new LoadError('absolute', `absolute path "${rel}" is not allowed`);
    const direct = normalizeTreePath(joinTreePath(this.root, rel));
    const path = realPath(this.tree, direct, this.display(rel));
    if (!isWithin(path, this.root)) {
      const via = path !== direct && !direct.includes('..') ? ` (a symlink to "${path}")` : '';
      throw new LoadError('outside-root', `file "${rel}"${via} is not in or below "${this.root || '.'}" (kustomize's load restrictions)`);
    }
    const st = this.tree.stat(path);
    if (!st) throw new LoadError('not-found', `"${this.display(rel)}" does not exist`);
    if (st.type !== 'file') throw new LoadError('not-file', `"${this.display(rel)}" is not a file`);
    this.onRead?.(path);
    return { path, data: this.tree.readFile(path)! };
  }

  /** True when `rel` names a directory without symlinks on the way (a cheap check, never throws). */
  isPlainDirectory(rel: string): boolean {
    if (rel.startsWith('/') || isRemoteSpec(rel)) return false;
    const parts: string[] = this.root === '' ? [] : this.root.split('/');
    for (const seg of rel.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (parts.length === 0) return false;
        parts.pop();
        continue;
      }
      parts.push(seg);
      if (this.tree.stat(parts.join('/'))?.type !== 'dir') return false;
    }
    return true;
  }

  /** True when `rel` exists and is a regular file after resolving symlinks, within the root. */
  isFile(rel: string): boolean {
    const direct = joinTreePath(this.root, rel);
    const st = this.tree.stat(direct);
    if (st === undefined) return false;
    if (st.type === 'file') return true;
    try {
      this.load(rel);
      return true;
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
    if (isRemoteSpec(rel)) throw new LoadError('remote', `remote base "${rel}" is not supported: Drover builds only from the repository (no network access)`);
    if (rel.startsWith('/')) throw new LoadError('absolute', `absolute path "${rel}" is not allowed`);
    const path = realPath(this.tree, joinTreePath(this.root, rel), this.display(rel));
    const st = this.tree.stat(path);
    if (!st) throw new LoadError('not-found', `"${this.display(rel)}" does not exist`);
    if (st.type !== 'dir') throw new LoadError('not-dir', `"${this.display(rel)}" is not a directory`);
    for (const l of this.chain()) {
      if (isWithin(l.root, path)) {
        throw new LoadError('cycle', `cycle detected: "${path || '.'}" contains "${l.root || '.'}", which is already being built`);
      }
    }
    this.onRead?.(path);
    return new TreeLoader(this.tree, path, this, this.onRead);
  }
}
