// The git source against real git: `git http-backend` behind the test bridge, read by
// isomorphic-git into snapshots straight from git objects.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import http from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SourceError } from '../../agent/core/errors.js';
import { createGitSource, type GitSourceOptions } from '../../agent/source/git-source.js';
import { Forge, pullRequestRef } from '../../agent/source/source-ref.js';
import { commitFiles, createRepo, repoPath, resolveRef, setRef, tagRepo } from '../support/git-repo.js';
import { startGitServer, type GitRequestInfo, type GitServer } from '../support/git-server.js';

const run = promisify(execFile);
const scratch: string[] = [];
const servers: GitServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), `drover-${prefix}-`));
  scratch.push(d);
  return d;
}

/** A git server of the test's own, recording every request (for counting packs). */
async function ownServer(opts: { auth?: { username: string; password: string } } = {}): Promise<{ server: GitServer; requests: GitRequestInfo[] }> {
  const requests: GitRequestInfo[] = [];
  const server = await startGitServer({ root: await tempDir('src-root'), onRequest: (r) => requests.push(r), ...opts });
  servers.push(server);
  return { server, requests };
}

const packs = (requests: readonly GitRequestInfo[]): number => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git-upload-pack')).length;
const text = (data: Uint8Array | undefined): string | undefined => (data === undefined ? undefined : new TextDecoder().decode(data));

function source(url: string, cacheDir: string, extra: Partial<GitSourceOptions> = {}) {
  return createGitSource({ url, cacheDir, fs, http, ...extra });
}

async function nativeGit(dir: string, args: string[], input?: string): Promise<string> {
  const child = run('git', ['--git-dir', dir, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x.invalid', GIT_INDEX_FILE: join(dir, 'tmp-index') },
  });
  if (input !== undefined) child.child.stdin?.end(input);
  return (await child).stdout.trim();
}

/** Commits a symlink and an executable file with native git plumbing (the repo helpers write plain files). */
async function commitLinkAndExecutable(root: string, name: string): Promise<string> {
  const dir = repoPath(root, name);
  const link = await nativeGit(dir, ['hash-object', '-w', '--stdin'], 'environments/staging');
  const script = await nativeGit(dir, ['hash-object', '-w', '--stdin'], '#!/bin/sh\necho hi\n');
  await nativeGit(dir, ['read-tree', 'HEAD']);
  await nativeGit(dir, ['update-index', '--add', '--cacheinfo', `120000,${link},current`, '--cacheinfo', `100755,${script},bin/run.sh`]);
  const tree = await nativeGit(dir, ['write-tree']);
  const commit = await nativeGit(dir, ['commit-tree', tree, '-p', 'HEAD', '-m', 'link and script']);
  await nativeGit(dir, ['update-ref', 'refs/heads/main', commit]);
  await rm(join(dir, 'tmp-index'), { force: true });
  return commit;
}

const fleetFiles = {
  'drover.yaml': 'environments:\n  - {name: staging, path: environments/staging}\n',
  'environments/staging/kustomization.yaml': 'resources: [../../clusters/eu-1]\n',
  'clusters/eu-1/kustomization.yaml': 'resources: [cluster.yaml]\n',
  'clusters/eu-1/cluster.yaml': 'kind: Cluster\nmetadata: {name: eu-1}\n',
};

describe('git source', () => {
  let root: string;
  let base: string;
  beforeAll(() => {
    root = inject('gitRoot');
    base = inject('gitServerUrl');
  });

  it('snapshots a branch straight from git objects, with git OIDs as hashes', async () => {
    const name = `branch-${Date.now()}`;
    const sha = await createRepo(root, name, fleetFiles);
    const src = source(`${base}/${name}.git`, await tempDir('cache'));
    const snap = await src.fetchRevision('main');
    expect(snap.revision).toBe(`main@sha1:${sha}`);
    expect(snap).toMatchObject({ sha, ref: 'main' });
    expect(text(snap.tree.readFile('clusters/eu-1/cluster.yaml'))).toBe(fleetFiles['clusters/eu-1/cluster.yaml']);
    expect(snap.tree.readDir('')).toEqual(['clusters', 'drover.yaml', 'environments']);
    expect(snap.tree.hashOf('')).toBe(await nativeGit(repoPath(root, name), ['rev-parse', `${sha}^{tree}`]));
    expect(snap.tree.hashOf('clusters/eu-1')).toBe(await nativeGit(repoPath(root, name), ['rev-parse', `${sha}:clusters/eu-1`]));
    expect(snap.tree.hashOf('drover.yaml')).toBe(await nativeGit(repoPath(root, name), ['rev-parse', `${sha}:drover.yaml`]));
    expect(fs.existsSync(join(src.gitdir, 'index'))).toBe(false); // no working tree, no checkout
  });

  it('reads symlinks as symlinks and executables as files', async () => {
    const name = `link-${Date.now()}`;
    await createRepo(root, name, fleetFiles);
    const sha = await commitLinkAndExecutable(root, name);
    const snap = await source(`${base}/${name}.git`, await tempDir('cache')).fetchRevision('main');
    expect(snap.sha).toBe(sha);
    expect(snap.tree.stat('current')).toEqual({ type: 'symlink' });
    expect(snap.tree.readLink('current')).toBe('environments/staging');
    expect(text(snap.tree.readFile('bin/run.sh'))).toBe('#!/bin/sh\necho hi\n');
  });

  it.each([
    { case: 'a lightweight tag', message: undefined },
    { case: 'an annotated tag', message: 'release v1' },
  ])('snapshots $case at the tagged commit', async ({ message }) => {
    const name = `tag-${Date.now()}-${message ? 'a' : 'l'}`;
    const first = await createRepo(root, name, fleetFiles);
    await tagRepo(root, name, 'v1', { target: first, ...(message ? { message } : {}) });
    await commitFiles(root, name, { 'drover.yaml': 'changed: true\n' }, { message: 'later' });
    const snap = await source(`${base}/${name}.git`, await tempDir('cache')).fetchRevision('v1');
    expect(snap.revision).toBe(`v1@sha1:${first}`);
    expect(text(snap.tree.readFile('drover.yaml'))).toBe(fleetFiles['drover.yaml']);
  });

  it('snapshots an exact commit that no ref points at, and serves it again without network', async () => {
    const { server, requests } = await ownServer();
    const first = await createRepo(server.root, 'exact', fleetFiles);
    await commitFiles(server.root, 'exact', { 'drover.yaml': 'v: 2\n' }, { message: 'second' });
    const src = source(`${server.url}/exact.git`, await tempDir('cache'));
    const snap = await src.fetchRevision(first);
    expect(snap.revision).toBe(`${first}@sha1:${first}`);
    expect(text(snap.tree.readFile('drover.yaml'))).toBe(fleetFiles['drover.yaml']);
    const before = requests.length;
    expect((await src.fetchRevision(first)).sha).toBe(first);
    expect(requests.length).toBe(before);
  });

  it.each([
    { case: 'refs/pull/N/head', ref: 'refs/pull/4/head', display: 'refs/pull/4/head' },
    { case: 'the pull/N shorthand', ref: 'pull/4', display: 'refs/pull/4/head' },
    { case: 'a GitHub --pr', ref: pullRequestRef(4, Forge.GitHub), display: 'refs/pull/4/head' },
    { case: 'a GitLab merge request', ref: pullRequestRef(9, Forge.GitLab), display: 'refs/merge-requests/9/head' },
  ])('snapshots a pull request head through $case', async ({ ref, display }) => {
    const name = `pr-${Math.random().toString(36).slice(2, 8)}`;
    await createRepo(root, name, fleetFiles);
    const head = await commitFiles(root, name, { 'clusters/eu-2/cluster.yaml': 'kind: Cluster\n' }, { message: 'add eu-2', branch: 'feature' });
    await setRef(root, name, 'refs/pull/4/head', head);
    await setRef(root, name, 'refs/merge-requests/9/head', head);
    const snap = await source(`${base}/${name}.git`, await tempDir('cache')).fetchRevision(ref);
    expect(snap.revision).toBe(`${display}@sha1:${head}`);
    expect(snap.tree.stat('clusters/eu-2/cluster.yaml')).toEqual({ type: 'file' });
  });

  it('transfers no pack when polling a ref that has not moved, and one pack when it has', async () => {
    const { server, requests } = await ownServer();
    await createRepo(server.root, 'poll', fleetFiles);
    const src = source(`${server.url}/poll.git`, await tempDir('cache'));
    const first = await src.fetchRevision('main');
    expect(packs(requests)).toBe(1);

    const again = await src.fetchRevision('main');
    expect(again).toBe(first); // the same snapshot object
    expect(packs(requests)).toBe(1);
    expect(requests.slice(-1)[0]).toMatchObject({ method: 'GET', path: '/poll.git/info/refs' });

    const second = await commitFiles(server.root, 'poll', { 'clusters/eu-1/cluster.yaml': 'kind: Cluster\nmetadata: {name: eu-1, labels: {a: b}}\n' }, { message: 'label' });
    const next = await src.fetchRevision('main');
    expect(next.sha).toBe(second);
    expect(packs(requests)).toBe(2);
    // Unchanged subtrees are the same content and the same hash; the old snapshot is untouched.
    expect(next.tree.hashOf('environments')).toBe(first.tree.hashOf('environments'));
    expect(next.tree.hashOf('clusters/eu-1')).not.toBe(first.tree.hashOf('clusters/eu-1'));
    expect(text(first.tree.readFile('clusters/eu-1/cluster.yaml'))).toBe(fleetFiles['clusters/eu-1/cluster.yaml']);
  });

  it('fetches shallow with depth 1 and keeps following the branch', async () => {
    const { server } = await ownServer();
    await createRepo(server.root, 'shallow', fleetFiles);
    await commitFiles(server.root, 'shallow', { 'a.yaml': 'a: 1\n' }, { message: 'a' });
    const src = source(`${server.url}/shallow.git`, await tempDir('cache'), { depth: 1 });
    await src.fetchRevision('main');
    expect(fs.readFileSync(join(src.gitdir, 'shallow'), 'utf8').trim().split('\n')).toHaveLength(1);
    const third = await commitFiles(server.root, 'shallow', { 'b.yaml': 'b: 1\n' }, { message: 'b' });
    expect((await src.fetchRevision('main')).sha).toBe(third);
  });

  describe('with basic auth', () => {
    const token = 'tok-3f9a1c7e5b';
    let server: GitServer;
    beforeAll(async () => {
      ({ server } = await ownServer({ auth: { username: 'x-access-token', password: token } }));
      await createRepo(server.root, 'private', fleetFiles);
    });

    it.each([
      { case: 'a token alone (x-access-token)', auth: { token }, userinfo: '' },
      { case: 'a username and token', auth: { username: 'x-access-token', token }, userinfo: '' },
      { case: 'credentials in the URL', auth: undefined, userinfo: `x-access-token:${token}@` },
    ])('fetches with $case', async ({ auth, userinfo }) => {
      const src = source(server.url.replace('//', `//${userinfo}`) + '/private.git', await tempDir('cache'), { auth });
      expect(src.repo).toBe(`${server.url}/private.git`);
      const snap = await src.fetchRevision('main');
      expect(snap.tree.stat('drover.yaml')).toEqual({ type: 'file' });
    });

    it.each([
      { case: 'a wrong password', auth: { username: 'x-access-token', token: 'wrong-password-123' }, url: (u: string) => u },
      { case: 'a wrong password in the URL', auth: undefined, url: (u: string) => u.replace('//', '//x-access-token:wrong-password-123@') },
      { case: 'no credentials', auth: undefined, url: (u: string) => u },
    ])('refuses $case with a SourceError that carries no credentials', async ({ auth, url }) => {
      const src = source(url(`${server.url}/private.git`), await tempDir('cache'), { auth });
      const err = await src.fetchRevision('main').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      const e = err as SourceError;
      expect(e.message).toBe(`${server.url}/private.git@main auth refused: HTTP 401 Unauthorized`);
      expect(e.data.reason).toBe('auth-refused');
      const everything = `${e.message} ${e.stack} ${JSON.stringify(e.data)} ${String((e.cause as Error)?.message)} ${String((e.cause as Error)?.stack)} ${JSON.stringify((e.cause as { data?: unknown })?.data)}`;
      expect(everything).not.toContain('wrong-password-123');
      expect(everything).not.toContain(Buffer.from('x-access-token:wrong-password-123').toString('base64'));
      expect(everything).not.toContain('x-access-token:');
    });
  });

  it('names repo@ref when the ref or the repository is missing', async () => {
    const name = `missing-${Date.now()}`;
    await createRepo(root, name, fleetFiles);
    const src = source(`${base}/${name}.git`, await tempDir('cache'));
    await expect(src.fetchRevision('nope')).rejects.toThrow(`${base}/${name}.git@nope ref not found: the server has no refs/heads/nope or refs/tags/nope`);
    await expect(src.fetchRevision('f'.repeat(40))).rejects.toMatchObject({ data: { reason: 'ref-missing' } });
    await expect(src.fetchRevision('bad..ref')).rejects.toThrow(`${base}/${name}.git@bad..ref invalid ref`);
    const absent = source(`${base}/absent-${Date.now()}.git`, await tempDir('cache'));
    await expect(absent.fetchRevision('main')).rejects.toMatchObject({ data: { reason: 'repo-not-found' }, message: expect.stringMatching(/@main repository not found: HTTP 404/) });
  });

  it('keeps serving the last good snapshot when the server is unreachable, also after a restart', async () => {
    const { server } = await ownServer();
    const sha = await createRepo(server.root, 'flaky', fleetFiles);
    const cacheDir = await tempDir('cache');
    const url = `${server.url}/flaky.git`;
    const src = source(url, cacheDir);
    const good = await src.fetchRevision('main');
    await server.stop();

    const err = await src.fetchRevision('main').then(() => undefined, (e: unknown) => e as SourceError);
    expect(err).toBeInstanceOf(SourceError);
    expect(err!.message).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')}@main unreachable: connect ECONNREFUSED`));
    expect(err!.retry).toBe('transient');
    expect(await src.lastGood('main')).toBe(good);
    expect(await src.lastGood()).toBe(good);

    // A new process on the same cache: no network, same revision and content.
    const restarted = source(url, cacheDir);
    const served = await restarted.lastGood('main');
    expect(served?.revision).toBe(`main@sha1:${sha}`);
    expect(text(served?.tree.readFile('clusters/eu-1/cluster.yaml'))).toBe(fleetFiles['clusters/eu-1/cluster.yaml']);
    expect((await restarted.lastGood())?.revision).toBe(`main@sha1:${sha}`);
    expect(await restarted.lastGood('other')).toBeUndefined();
    expect((await restarted.fetchRevision(sha)).sha).toBe(sha); // an exact cached commit needs no server
  });

  it('resolves HEAD to the default branch', async () => {
    const name = `head-${Date.now()}`;
    const sha = await createRepo(root, name, fleetFiles, { branch: 'trunk' });
    const snap = await source(`${base}/${name}.git`, await tempDir('cache')).fetchRevision('HEAD');
    expect(snap.revision).toBe(`HEAD@sha1:${sha}`);
    expect(await resolveRef(root, name, 'HEAD')).toBe(sha);
  });
});
