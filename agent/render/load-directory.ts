/**
 * The thin filesystem edge of render: reads a directory tree into a FileTree (regular files as
 * bytes, symlinks kept as symlinks, `.git` skipped). The only module of agent/render that may
 * touch node:fs.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileTreeFromMap, type FileTree } from '../core/file-tree.js';

export function loadDirectoryTree(rootDir: string): FileTree {
  const files: Record<string, Uint8Array> = {};
  const symlinks: Record<string, string> = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs)) {
      if (name === '.git') continue;
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = lstatSync(childAbs);
      if (st.isSymbolicLink()) symlinks[childRel] = readlinkSync(childAbs);
      else if (st.isDirectory()) walk(childAbs, childRel);
      else if (st.isFile()) files[childRel] = readFileSync(childAbs);
    }
  };
  walk(rootDir, '');
  return fileTreeFromMap(files, { symlinks });
}
