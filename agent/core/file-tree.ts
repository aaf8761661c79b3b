/**
 * A read-only, in-memory view of a fleet repository at one revision. The source stage builds it
 * (from git objects or a local directory); render reads it without touching the filesystem.
 * Paths are POSIX, relative to the repository root, without leading "./" or "/" ("" is the root).
 */
export interface FileTree {
  /** What is at `path`, without following a final symlink; undefined when nothing is there. */
  stat(path: string): FileStat | undefined;
  /** Bytes of the regular file at `path` (symlinks not followed); undefined when not a file. */
  readFile(path: string): Uint8Array | undefined;
  /** Entry names of the directory at `path`, sorted bytewise; undefined when not a directory. */
  readDir(path: string): readonly string[] | undefined;
  /** Target of the symlink at `path` as stored; undefined when not a symlink. */
  readLink(path: string): string | undefined;
  /**
   * A content hash of the file or directory at `path` when the tree is content addressed (the
   * git blob or tree OID): two revisions with the same hash at a path have identical content
   * below it. Undefined when unknown.
   */
  hashOf(path: string): string | undefined;
}

export type FileType = 'file' | 'dir' | 'symlink';
export interface FileStat {
  readonly type: FileType;
}

/** Normalizes a repo-relative path: strips "./", duplicate and trailing slashes. Keeps "..". */
export function normalizeTreePath(path: string): string {
  return path
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
}

type Entry = { type: 'file'; data: Uint8Array } | { type: 'symlink'; target: string } | { type: 'dir'; children: Set<string> };

/**
 * Builds a FileTree from a map of path → contents (a string or bytes), with optional symlinks
 * and hashes. Directories are implied by the paths. For tests and the local-directory source.
 */
export function fileTreeFromMap(
  files: Readonly<Record<string, string | Uint8Array>>,
  options: { symlinks?: Readonly<Record<string, string>>; hashes?: ReadonlyMap<string, string> } = {},
): FileTree {
  const entries = new Map<string, Entry>([['', { type: 'dir', children: new Set() }]]);
  const encoder = new TextEncoder();
  const addParents = (path: string): void => {
    const segs = path.split('/');
    for (let i = 0; i < segs.length; i++) {
      const parent = segs.slice(0, i).join('/');
      const child = segs[i]!;
      let dir = entries.get(parent);
      if (!dir) {
        dir = { type: 'dir', children: new Set() };
        entries.set(parent, dir);
      }
      if (dir.type !== 'dir') throw new Error(`fileTreeFromMap: ${parent} is both a file and a directory`);
      dir.children.add(child);
      const here = segs.slice(0, i + 1).join('/');
      if (i < segs.length - 1 && !entries.has(here)) entries.set(here, { type: 'dir', children: new Set() });
    }
  };
  for (const [raw, data] of Object.entries(files)) {
    const path = normalizeTreePath(raw);
    addParents(path);
    entries.set(path, { type: 'file', data: typeof data === 'string' ? encoder.encode(data) : data });
  }
  for (const [raw, target] of Object.entries(options.symlinks ?? {})) {
    const path = normalizeTreePath(raw);
    addParents(path);
    entries.set(path, { type: 'symlink', target });
  }
  const hashes = options.hashes;
  return {
    stat: (p) => {
      const e = entries.get(normalizeTreePath(p));
      return e ? { type: e.type } : undefined;
    },
    readFile: (p) => {
      const e = entries.get(normalizeTreePath(p));
      return e?.type === 'file' ? e.data : undefined;
    },
    readDir: (p) => {
      const e = entries.get(normalizeTreePath(p));
      return e?.type === 'dir' ? [...e.children].sort(compareBytewise) : undefined;
    },
    readLink: (p) => {
      const e = entries.get(normalizeTreePath(p));
      return e?.type === 'symlink' ? e.target : undefined;
    },
    hashOf: (p) => hashes?.get(normalizeTreePath(p)),
  };
}

function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
