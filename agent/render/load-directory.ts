/**
 * The thin filesystem edge of render, the only module of agent/render that may touch node:fs.
 *
 * - `loadDirectoryTree` reads a whole directory into a FileTree (regular files as bytes, symlinks
 *   kept as symlinks, `.git` skipped): for small trees that are read completely anyway.
 * - `openDirectoryTree` reads nothing up front: each stat, read and readlink goes to the
 *   filesystem when the build asks for it, so a build reads only the files its kustomizations
 *   reference (kustomize's own behaviour) and never walks unrelated directories.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { fileTreeFromMap, normalizeTreePath, type FileStat, type FileTree } from '../core/file-tree.js';

export function loadDirectoryTree(rootDir: string): FileTree {
  const files: Record<string, Uint8Array> = {};
  const symlinks: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of nodeFs.readdirSync(abs)) {
      if (name === '.git') continue;
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = nodeFs.lstatSync(childAbs);
      if (st.isSymbolicLink()) symlinks[childRel] = nodeFs.readlinkSync(childAbs);
      else if (st.isDirectory()) walk(childAbs, childRel);
      else if (st.isFile()) files[childRel] = nodeFs.readFileSync(childAbs);
    }
  };
  walk(rootDir, '');
  return fileTreeFromMap(files, { symlinks });
}

/** The part of node:fs a lazy tree uses; injected so tests can count what a build touches. */
export interface DirectoryFs {
  lstatSync(path: string, options: { throwIfNoEntry: false }): nodeFs.Stats | undefined;
  readFileSync(path: string): Uint8Array;
  readlinkSync(path: string): string;
  readdirSync(path: string): string[];
}

export interface OpenDirectoryOptions {
  /** Skip a `.git` entry at the root, as a repository checkout's FileTree has none. */
  readonly hideGit?: boolean;
  readonly fs?: DirectoryFs;
}

/**
 * A FileTree over `rootDir` on disk that reads lazily (see the module comment). Stats are
 * remembered for the life of the tree; file contents are not (each file is read once per build).
 * Hashes are unknown, so a renderer cache never reuses results for it.
 */
export function openDirectoryTree(rootDir: string, options: OpenDirectoryOptions = {}): FileTree {
  const fs: DirectoryFs = options.fs ?? nodeFs;
  const stats = new Map<string, FileStat | undefined>();
  const abs = (p: string): string => join(rootDir, p);
  const hidden = (p: string): boolean => options.hideGit === true && (p === '.git' || p.startsWith('.git/'));
  const stat = (raw: string): FileStat | undefined => {
    const p = normalizeTreePath(raw);
    if (hidden(p)) return undefined;
    if (stats.has(p)) return stats.get(p);
    let st: nodeFs.Stats | undefined;
    try {
      st = fs.lstatSync(abs(p), { throwIfNoEntry: false });
    } catch {
      st = undefined; // ENOTDIR, EACCES, ELOOP: nothing usable there
    }
    const out: FileStat | undefined = st === undefined ? undefined : st.isSymbolicLink() ? { type: 'symlink' } : st.isDirectory() ? { type: 'dir' } : st.isFile() ? { type: 'file' } : undefined;
    stats.set(p, out);
    return out;
  };
  return {
    stat,
    readFile: (raw) => {
      if (stat(raw)?.type !== 'file') return undefined;
      try {
        return fs.readFileSync(abs(normalizeTreePath(raw)));
      } catch {
        return undefined;
      }
    },
    readDir: (raw) => {
      if (stat(raw)?.type !== 'dir') return undefined;
      try {
        const names = fs.readdirSync(abs(normalizeTreePath(raw))).filter((n) => !hidden(normalizeTreePath(`${raw}/${n}`)));
        return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      } catch {
        return undefined;
      }
    },
    readLink: (raw) => {
      if (stat(raw)?.type !== 'symlink') return undefined;
      try {
        return fs.readlinkSync(abs(normalizeTreePath(raw)));
      } catch {
        return undefined;
      }
    },
    hashOf: () => undefined,
  };
}
