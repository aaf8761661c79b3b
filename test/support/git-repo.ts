// Fixture repositories for the test git server, written with the native git CLI's plumbing
// straight into bare repositories (no work tree). Deterministic: a fixed author and committer,
// and commit dates derived from the parent (root commits at 2024-01-01T00:00:00Z, each child one
// minute after its parent), so the same calls always give the same commit ids.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommitOptions {
  message: string;
  /** Branch to commit on; the repository's HEAD branch when unset. */
  branch?: string;
  /** Where a new branch starts (a ref or commit id); HEAD when unset. Ignored for an existing branch. */
  from?: string;
  /** Paths to delete; a directory path deletes everything under it. */
  remove?: readonly string[];
}

const ROOT_COMMIT_TIME = 1_704_067_200; // 2024-01-01T00:00:00Z
const IDENTITY = { name: 'Drover Test', email: 'test@drover.invalid' };

/** The bare repository's directory: `<root>/<name>.git` (served as `<url>/<name>.git`). */
export function repoPath(root: string, name: string): string {
  return join(root, name.endsWith('.git') ? name : `${name}.git`);
}

/** Creates a bare repository with one commit holding `files`; returns the commit id. */
export async function createRepo(root: string, name: string, files: Record<string, string>, opts: { branch?: string; message?: string } = {}): Promise<string> {
  const dir = repoPath(root, name);
  if (existsSync(dir)) throw new Error(`${dir}: repository already exists`);
  const branch = opts.branch ?? 'main';
  await mkdir(root, { recursive: true });
  await git(root, ['init', '--quiet', '--bare', `--initial-branch=${branch}`, dir]);
  return commitFiles(root, name, files, { message: opts.message ?? 'initial commit', branch });
}

/** Commits `files` (added or replaced) and `remove` on top of the branch; returns the new commit id. */
export async function commitFiles(root: string, name: string, files: Record<string, string>, opts: CommitOptions): Promise<string> {
  const dir = repoPath(root, name);
  const branch = opts.branch ?? (await git(dir, ['symbolic-ref', '--short', 'HEAD'])).trim();
  const tip = (await git(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { allowFail: true })).trim();
  // A new branch starts at `from` (HEAD by default); in a repository without commits, as a root commit.
  const parent = tip || (await git(dir, ['rev-parse', '--verify', '--quiet', `${opts.from ?? 'HEAD'}^{commit}`], { allowFail: true })).trim();
  if (!tip && opts.from && !parent) throw new Error(`${dir}: cannot start branch ${branch} at ${opts.from}: no such commit`);
  const scratch = await mkdtemp(join(tmpdir(), 'drover-git-commit-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(dir, parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env });
    const lines: string[] = [];
    if (opts.remove?.length) {
      const existing = parent ? (await git(dir, ['ls-tree', '-r', '--name-only', '-z', parent])).split('\0').filter(Boolean) : [];
      for (const p of opts.remove) {
        const gone = existing.filter((f) => f === p || f.startsWith(`${p.replace(/\/$/, '')}/`));
        if (gone.length === 0) throw new Error(`${dir}@${branch}: cannot remove ${p}: no such path`);
        for (const f of gone) lines.push(`0 ${'0'.repeat(40)}\t${f}`);
      }
    }
    const paths = Object.keys(files);
    if (paths.length > 0) {
      const blobFiles = await Promise.all(paths.map(async (p, i) => {
        const f = join(scratch, `blob-${i}`);
        await writeFile(f, files[p] ?? '');
        return f;
      }));
      const oids = (await git(dir, ['hash-object', '-w', '--stdin-paths'], { input: blobFiles.join('\n') + '\n' })).trim().split('\n');
      paths.forEach((p, i) => lines.push(`100644 ${oids[i]}\t${p.replace(/^\/+/, '')}`));
    }
    if (lines.length > 0) await git(dir, ['update-index', '--index-info'], { env, input: lines.join('\n') + '\n' });
    const tree = (await git(dir, ['write-tree'], { env })).trim();
    const time = parent ? Number((await git(dir, ['show', '-s', '--format=%ct', parent])).trim()) + 60 : ROOT_COMMIT_TIME;
    const commit = (await git(dir, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', opts.message], { env: dated(time) })).trim();
    await git(dir, ['update-ref', `refs/heads/${branch}`, commit, tip || '0'.repeat(40)]);
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Tags `target` (a ref or commit id, HEAD when unset); annotated when `message` is given. Returns the tagged commit id. */
export async function tagRepo(root: string, name: string, tag: string, opts: { target?: string; message?: string } = {}): Promise<string> {
  const dir = repoPath(root, name);
  const commit = (await git(dir, ['rev-parse', '--verify', `${opts.target ?? 'HEAD'}^{commit}`])).trim();
  if (opts.message === undefined) {
    await git(dir, ['update-ref', `refs/tags/${tag}`, commit, '0'.repeat(40)]);
  } else {
    const time = Number((await git(dir, ['show', '-s', '--format=%ct', commit])).trim());
    await git(dir, ['tag', '-a', '-m', opts.message, tag, commit], { env: dated(time) });
  }
  return commit;
}

/** Points any ref (e.g. `refs/pull/1/head`) at a commit, creating or moving it. */
export async function setRef(root: string, name: string, ref: string, sha: string): Promise<void> {
  await git(repoPath(root, name), ['update-ref', ref, sha]);
}

/** The commit id a ref points at. */
export async function resolveRef(root: string, name: string, ref: string): Promise<string> {
  return (await git(repoPath(root, name), ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
}

function dated(unixSeconds: number): Record<string, string> {
  const date = `@${unixSeconds} +0000`;
  return { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
}

function git(cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string; allowFail?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: IDENTITY.name,
        GIT_AUTHOR_EMAIL: IDENTITY.email,
        GIT_COMMITTER_NAME: IDENTITY.name,
        GIT_COMMITTER_EMAIL: IDENTITY.email,
        ...dated(ROOT_COMMIT_TIME),
        ...opts.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', (err) => reject(new Error(`git is required for test repositories: ${err.message}`)));
    child.once('close', (code) => {
      if (code === 0 || opts.allowFail) resolve(code === 0 ? stdout : '');
      else reject(new Error(`${cwd}: git ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`));
    });
    child.stdin.on('error', () => undefined); // git may exit without reading its input
    child.stdin.end(opts.input ?? '');
  });
}
