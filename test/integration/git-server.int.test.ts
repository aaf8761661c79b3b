// The test git server is real git: `git http-backend` behind the Node bridge, exercised by
// isomorphic-git (what Drover's source stage uses) and by the native git CLI.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { commitFiles, createRepo, resolveRef, setRef, tagRepo } from '../support/git-repo.js';
import { startGitServer, type GitRequestInfo, type GitServer } from '../support/git-server.js';

const run = promisify(execFile);
const scratch: string[] = [];
const servers: GitServer[] = [];

async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), `drover-${prefix}-`));
  scratch.push(d);
  return d;
}

afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

function repoName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

describe('git server', () => {
  it('serves a repository that isomorphic-git clones, with the files and commit the helpers wrote', async () => {
    const name = repoName('clone');
    const sha = await createRepo(inject('gitRoot'), name, { 'drover.yaml': 'environments: []\n', 'clusters/eu-1/cluster.yaml': 'kind: Cluster\n' });
    const dir = await tempDir('clone');
    await git.clone({ fs, http, dir, url: `${inject('gitServerUrl')}/${name}.git`, singleBranch: true });
    expect(await git.resolveRef({ fs, dir, ref: 'HEAD' })).toBe(sha);
    expect(await readFile(join(dir, 'clusters/eu-1/cluster.yaml'), 'utf8')).toBe('kind: Cluster\n');
  });

  it('serves new commits, tags and pull-request refs to a fetch', async () => {
    const root = inject('gitRoot');
    const name = repoName('fetch');
    const url = `${inject('gitServerUrl')}/${name}.git`;
    const first = await createRepo(root, name, { 'a.yaml': 'a: 1\n', 'old/b.yaml': 'b: 1\n' });
    const dir = await tempDir('fetch');
    await git.clone({ fs, http, dir, url });

    const second = await commitFiles(root, name, { 'a.yaml': 'a: 2\n' }, { message: 'bump a', remove: ['old'] });
    await tagRepo(root, name, 'v1', { message: 'release v1' });
    const pr = await commitFiles(root, name, { 'c.yaml': 'c: 1\n' }, { message: 'pr', branch: 'feature' });
    await setRef(root, name, 'refs/pull/1/head', pr);

    const result = await git.fetch({ fs, http, dir, url, ref: 'main', tags: true });
    expect(result.fetchHead).toBe(second);
    expect(await git.resolveRef({ fs, dir, ref: 'refs/remotes/origin/main' })).toBe(second);
    expect(await git.resolveRef({ fs, dir, ref: 'refs/tags/v1' })).toBeTruthy();
    const commit = await git.readCommit({ fs, dir, oid: second });
    expect(commit.commit.parent).toEqual([first]);
    const files = await git.listFiles({ fs, dir, ref: second });
    expect(files.sort()).toEqual(['a.yaml']);

    for (const protocolVersion of [1, 2] as const) {
      const refs = await git.listServerRefs({ http, url, prefix: 'refs/pull/', protocolVersion });
      expect(refs, `protocol v${protocolVersion}`).toEqual([{ ref: 'refs/pull/1/head', oid: pr }]);
    }
  });

  it('writes the same commit ids for the same helper calls', async () => {
    const files = { 'x.yaml': 'x: 1\n' };
    const a = await createRepo(await tempDir('det-a'), 'r', files);
    const b = await createRepo(await tempDir('det-b'), 'r', files);
    expect(a).toBe(b);
  });

  it('accepts a push through receive-pack', async () => {
    const root = inject('gitRoot');
    const name = repoName('push');
    const url = `${inject('gitServerUrl')}/${name}.git`;
    await createRepo(root, name, { 'a.yaml': 'a: 1\n' });
    const dir = await tempDir('push');
    await git.clone({ fs, http, dir, url });
    await writeFile(join(dir, 'b.yaml'), 'b: 1\n');
    await git.add({ fs, dir, filepath: 'b.yaml' });
    const oid = await git.commit({ fs, dir, message: 'add b', author: { name: 't', email: 't@example.invalid', timestamp: 1_704_067_200 } });
    const pushed = await git.push({ fs, http, dir, url, ref: 'main' });
    expect(pushed.ok).toBe(true);
    expect(await resolveRef(root, name, 'refs/heads/main')).toBe(oid);
  });

  describe('with basic auth', () => {
    const auth = { username: 'drover', password: 's3cret' };
    let server: GitServer;
    let url = '';

    it.each([
      { case: 'the right credentials', creds: auth, ok: true },
      { case: 'a wrong password', creds: { username: 'drover', password: 'wrong' }, ok: false },
      { case: 'no credentials', creds: undefined, ok: false },
    ])('clones only with the right credentials: $case', async ({ creds, ok }) => {
      if (!server) {
        server = await startGitServer({ root: await tempDir('auth-root'), auth });
        servers.push(server);
        await createRepo(server.root, 'private', { 'secret.yaml': 's: 1\n' });
        url = `${server.url}/private.git`;
      }
      const dir = await tempDir('auth-clone');
      const attempt = git.clone({
        fs, http, dir, url,
        onAuth: () => (creds ? { username: creds.username, password: creds.password } : { cancel: true }),
        onAuthFailure: () => ({ cancel: true }),
      });
      if (ok) {
        await attempt;
        expect(await readFile(join(dir, 'secret.yaml'), 'utf8')).toBe('s: 1\n');
      } else {
        const err = await attempt.then(() => undefined, (e: unknown) => e as { code?: string; data?: { statusCode?: number } });
        expect(err).toBeDefined();
        expect(['HttpError', 'UserCanceledError']).toContain(err?.code);
        if (err?.code === 'HttpError') expect(err.data?.statusCode).toBe(401);
      }
    });

    it('answers 401 with a basic-auth challenge', async () => {
      const res = await fetch(`${url}/info/refs?service=git-upload-pack`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    });
  });

  it('speaks protocol v2 and takes gzip-compressed requests from native git', async () => {
    const seen: GitRequestInfo[] = [];
    const server = await startGitServer({ root: await tempDir('native-root'), onRequest: (r) => seen.push(r) });
    servers.push(server);
    // Many branches on distinct commits make native git's fetch request exceed 1 KiB, which it gzips.
    let sha = await createRepo(server.root, 'many', { 'f.txt': '0\n' });
    for (let i = 1; i <= 40; i++) {
      sha = await commitFiles(server.root, 'many', { 'f.txt': `${i}\n` }, { message: `c${i}`, branch: `b${i}`, from: 'main' });
    }
    const dir = await tempDir('native-clone');
    await run('git', ['-c', 'protocol.version=2', 'clone', '--quiet', '--mirror', `${server.url}/many.git`, dir], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    const { stdout } = await run('git', ['--git-dir', dir, 'rev-parse', 'refs/heads/b40']);
    expect(stdout.trim()).toBe(sha);
    expect(seen.some((r) => r.gitProtocol === 'version=2')).toBe(true);
    expect(seen.some((r) => r.method === 'POST' && r.contentEncoding === 'gzip' && r.status === 200)).toBe(true);
  });
});
