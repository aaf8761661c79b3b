import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatRevision } from '../core/revision.js';
import { dirNode, fileTreeFromNodes, type DirNode, type TreeNode } from './object-tree.js';
import { SourceFailure, sourceError } from './source-error.js';
import type { FleetSnapshot } from './snapshot.js';

export interface LocalSource {
  readonly dir: string;
  /** Reads the directory as it is now. */
  fetchRevision(): Promise<FleetSnapshot>;
}

/**
 * A local directory as a fleet source (the CLI's `--repo ./fleet`). Each read takes the whole
 * directory into memory, skipping `.git`. Every file, directory and symlink gets the OID git
 * would give it (blob/tree hashing, modes 100644/100755/120000/040000), so the revision is
 * `local@sha1:<root tree OID>`: equal content gives an equal revision, and when the directory
 * is a clean checkout it equals the commit's tree OID. Empty directories are left out, as git
 * does. `.gitignore` is not applied.
 */
export function createLocalSource(dir: string): LocalSource {
  const root = resolve(dir);
  return {
    dir: root,
    async fetchRevision() {
      let node: DirNode;
      try {
        const stat = await lstat(root);
        if (!stat.isDirectory()) throw Object.assign(new Error(`${root} is not a directory`), { code: 'ENOTDIR' });
        node = await readDirectoryNode(root);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw sourceError(`${root}@local`, SourceFailure.DirectoryUnreadable, code === 'ENOENT' ? 'no such directory' : (e as Error).message, e);
      }
      return Object.freeze({ revision: formatRevision('local', node.oid), sha: node.oid, ref: 'local', tree: fileTreeFromNodes(node) });
    },
  };
}

async function readDirectoryNode(path: string): Promise<DirNode> {
  const dirents = await readdir(path, { withFileTypes: true });
  const entries = new Map<string, TreeNode>();
  const modes = new Map<string, string>();
  await Promise.all(
    dirents
      .filter((d) => d.name !== '.git')
      .map(async (d) => {
        const full = join(path, d.name);
        if (d.isSymbolicLink()) {
          const target = await readlink(full);
          entries.set(d.name, { type: 'symlink', oid: gitObjectId('blob', Buffer.from(target)), target });
          modes.set(d.name, '120000');
        } else if (d.isDirectory()) {
          const child = await readDirectoryNode(full);
          if (child.entries.size === 0) return;
          entries.set(d.name, child);
          modes.set(d.name, '40000');
        } else if (d.isFile()) {
          const [data, stat] = await Promise.all([readFile(full), lstat(full)]);
          const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          entries.set(d.name, Object.freeze({ type: 'file', oid: gitObjectId('blob', data), data: bytes }));
          modes.set(d.name, stat.mode & 0o111 ? '100755' : '100644');
        }
      }),
  );
  return dirNode(gitTreeId(entries, modes), entries);
}

/** The git tree OID of entries: sorted as git sorts (a directory compares as `name/`). */
function gitTreeId(entries: ReadonlyMap<string, TreeNode>, modes: ReadonlyMap<string, string>): string {
  const sortKey = (name: string): Buffer => Buffer.from(entries.get(name)!.type === 'dir' ? `${name}/` : name);
  const names = [...entries.keys()].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  const body = Buffer.concat(names.flatMap((name) => [Buffer.from(`${modes.get(name)} ${name}\0`), Buffer.from(entries.get(name)!.oid, 'hex')]));
  return gitObjectId('tree', body);
}

function gitObjectId(type: 'blob' | 'tree', body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}
