import type * as nodeFs from 'node:fs';
import type { PromiseFsClient } from 'isomorphic-git';

/**
 * A file system view of a git directory for reading many objects in a row. isomorphic-git
 * repeats three lookups for every object it reads: a stat of the git directory, an attempt to
 * open the loose object file, and a listing of the pack directory. On a 1000-cluster fleet
 * those syscalls (and the ENOENT errors they build) cost ~5x the reading itself. This view
 * answers them from memory for the lifetime of one load: the stat and the pack listing once,
 * and loose-object opens fail at once when the object's fan-out directory does not exist
 * (fetches write packs, so it usually does not). Every other call goes to the real fs.
 * Make a new view per load: it does not see packs added after it was made.
 */
export async function createObjectReadFs(fs: typeof nodeFs, gitdir: string): Promise<PromiseFsClient> {
  const p = fs.promises;
  const objects = `${gitdir}/objects/`;
  const looseDirs = new Set((await p.readdir(`${gitdir}/objects`).catch(() => [] as string[])).filter((d) => /^[0-9a-f]{2}$/.test(d)));
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let v = memo.get(key);
    if (!v) {
      v = load();
      memo.set(key, v);
    }
    return v as Promise<T>;
  };
  // One shared error: building an Error (and its stack) per miss cost more than the read.
  const enoent = Object.assign(new Error('ENOENT: no such loose object'), { code: 'ENOENT' });
  const missing = (): Promise<never> => Promise.reject(enoent);

  const promises: PromiseFsClient['promises'] = {
    readFile: (path: unknown, options?: unknown) => {
      if (typeof path !== 'string') return missing(); // isomorphic-git's promise-fs probe
      if (path.startsWith(objects)) {
        const fanout = path.slice(objects.length, objects.length + 3);
        if (/^[0-9a-f]{2}\/$/.test(fanout) && !looseDirs.has(fanout.slice(0, 2))) return missing();
      }
      return p.readFile(path, options as never);
    },
    readdir: (path: string, options?: unknown) =>
      path === `${objects}pack` ? once(`readdir:${path}`, () => p.readdir(path)) : p.readdir(path, options as never),
    stat: (path: string, options?: unknown) => (path === gitdir ? once(`stat:${path}`, () => p.stat(path)) : p.stat(path, options as never)),
    lstat: p.lstat.bind(p),
    writeFile: p.writeFile.bind(p),
    mkdir: p.mkdir.bind(p),
    rmdir: p.rmdir.bind(p),
    unlink: p.unlink.bind(p),
    readlink: p.readlink.bind(p),
    symlink: p.symlink.bind(p),
    chmod: p.chmod.bind(p),
  };
  return { promises };
}
