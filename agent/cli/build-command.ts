/**
 * `drover build DIR`: prints exactly what `kustomize build DIR` prints, using Drover's renderer.
 *
 * Which files the build may read:
 * - DIR inside a git work tree (the nearest ancestor with a `.git`): the work tree is the
 *   boundary, as in the agent. Bases and files must resolve inside it.
 * - Otherwise kustomize's own rules: bases may be anywhere on the local filesystem.
 * In both, the files a kustomization loads stay within its directory unless
 * `--load-restrictor LoadRestrictionsNone`. Files are read lazily: only what the kustomizations
 * reference is ever stat'ed or read, never an unrelated directory.
 */
import * as nodeFs from 'node:fs';
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue, isDroverError, type Issue } from '../core/errors.js';
import { buildKustomization, defaultBuildOptions, formatYamlStream, LoadRestrictor } from '../render/index.js';
import { openDirectoryTree, type DirectoryFs } from '../render/load-directory.js';
import type { CliIo } from './cli-io.js';

const USAGE = `Usage: drover build DIR [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone]

Prints what \`kustomize build DIR\` prints (kustomize v5.5 semantics), built by Drover.
Inside a git work tree, bases and files must stay inside the work tree; elsewhere bases may be
anywhere on the local filesystem, as with kustomize.

Flags:
  --load-restrictor R   LoadRestrictionsRootOnly (default): files a kustomization loads must be
                        in or below its directory; LoadRestrictionsNone: anywhere
  -h, --help            show this help
`;

/** Where a build reads from: a git work tree (the boundary), or the whole local filesystem. */
export interface BuildScope {
  /** The directory the FileTree is rooted at: the work tree, or "/". */
  readonly root: string;
  /** True outside a git work tree: kustomize's rules, bases anywhere. */
  readonly filesystem: boolean;
}

/** The scope for building the directory `dir` (a real, absolute path); see the module comment. */
export function buildScopeFor(dir: string, fs: Pick<DirectoryFs, 'lstatSync'> = nodeFs): BuildScope {
  const exists = (p: string): boolean => {
    try {
      return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false;
    }
  };
  for (let d = dir; ; d = dirname(d)) {
    if (exists(join(d, '.git'))) return { root: d, filesystem: false };
    if (dirname(d) === d) return { root: d, filesystem: true };
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

type Parsed = { help: true } | { dir: string; restrictor: LoadRestrictor } | { error: string };

function parseBuildArgs(args: readonly string[]): Parsed {
  let values: { help?: boolean | undefined; 'load-restrictor'?: string | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, 'load-restrictor': { type: 'string' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    return { error: (e as Error).message.replace(/\.$/, '') };
  }
  if (values.help) return { help: true };
  const restrictor = values['load-restrictor'] ?? LoadRestrictor.RootOnly;
  const legal: readonly string[] = Object.values(LoadRestrictor);
  if (!legal.includes(restrictor)) return { error: `illegal flag value --load-restrictor ${restrictor}; legal values: [${legal.join(' ')}]` };
  if (positionals.length !== 1) return { error: 'expected exactly one directory' };
  return { dir: positionals[0]!, restrictor: restrictor as LoadRestrictor };
}

/** Runs `drover build`; `fs` is injected by tests that count what a build touches. */
export async function runBuild(args: string[], io: CliIo, fs?: DirectoryFs): Promise<number> {
  const parsed = parseBuildArgs(args);
  if ('help' in parsed) {
    io.stdout.write(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr.write(`drover build: ${parsed.error}\n${USAGE}`);
    return 1;
  }
  let dir: string;
  try {
    dir = realpathSync(resolve(io.cwd, parsed.dir));
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch {
    io.stderr.write(`drover build: ${parsed.dir}: not a directory\n`);
    return 1;
  }
  const scope = buildScopeFor(dir, fs);
  try {
    const tree = openDirectoryTree(scope.root, { hideGit: !scope.filesystem, ...(fs ? { fs } : {}) });
    const options = { ...defaultBuildOptions(), loadRestrictor: parsed.restrictor, filesystem: scope.filesystem };
    const objects = buildKustomization(tree, toPosix(relative(scope.root, dir)), options);
    io.stdout.write(formatYamlStream(objects));
    return 0;
  } catch (e) {
    if (isDroverError(e) && 'issues' in e) {
      const issues = (e as unknown as { issues: readonly Issue[] }).issues;
      for (const issue of issues) {
        const file = issue.file === undefined ? undefined : relative(io.cwd, join(scope.root, issue.file)) || '.';
        io.stderr.write(`Error: ${formatIssue({ ...issue, file })}\n`);
      }
      return 1;
    }
    io.stderr.write(`Error: ${(e as Error).message}\n`);
    return 1;
  }
}
