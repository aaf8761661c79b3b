/**
 * `drover build DIR`: prints exactly what `kustomize build DIR` prints, using Drover's renderer.
 *
 * Which files the build may read: kustomize lets a kustomization name bases anywhere on disk
 * (`../../base`); Drover reads a tree instead. The tree is the git work tree that contains DIR
 * (the nearest ancestor with a `.git`), else the current directory when DIR is inside it, else
 * DIR itself. Bases and files must resolve inside that tree; an entry that escapes it is an error
 * naming the entry. Within it, kustomize's own rules apply (files only from the kustomization's
 * directory, no remote bases, no plugins).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatIssue, isDroverError, type Issue } from '../core/errors.js';
import { buildKustomization, formatYamlStream } from '../render/index.js';
import { loadDirectoryTree } from '../render/load-directory.js';
import type { CliIo } from './cli-io.js';

const USAGE = `Usage: drover build DIR

Prints what \`kustomize build DIR\` prints (kustomize v5.5 semantics), built by Drover.
Files are read from the git work tree containing DIR (else the current directory, if DIR is
inside it, else DIR itself); bases must stay inside that tree.
`;

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The directory whose contents form the tree for building `dir` (see the module comment). */
export function treeRootFor(dir: string, cwd: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) break;
  }
  return isInside(dir, cwd) ? cwd : dir;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export async function runBuild(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const flags = args.filter((a) => a.startsWith('-'));
  if (flags.length > 0 || args.length !== 1) {
    io.stderr.write(flags.length > 0 ? `drover build: unknown flag ${flags[0]}\n${USAGE}` : `drover build: expected exactly one directory\n${USAGE}`);
    return 1;
  }
  const dir = resolve(io.cwd, args[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr.write(`drover build: ${args[0]}: not a directory\n`);
    return 1;
  }
  const root = treeRootFor(dir, resolve(io.cwd));
  try {
    const tree = loadDirectoryTree(root);
    const objects = buildKustomization(tree, toPosix(relative(root, dir)));
    io.stdout.write(formatYamlStream(objects));
    return 0;
  } catch (e) {
    if (isDroverError(e) && 'issues' in e) {
      const issues = (e as unknown as { issues: readonly Issue[] }).issues;
      for (const issue of issues) {
        const file = issue.file === undefined ? undefined : relative(io.cwd, join(root, issue.file)) || '.';
        io.stderr.write(`Error: ${formatIssue({ ...issue, file })}\n`);
      }
      return 1;
    }
    io.stderr.write(`Error: ${(e as Error).message}\n`);
    return 1;
  }
}
