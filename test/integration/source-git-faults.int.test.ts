// Issue 8 #5 and #2 (cache): the git source against a real `git http-backend` bridge that stalls
// or drops its responses. Connect, idle and total timeouts of their own; a stall is a transient
// "unreachable", never a "ref not found"; a silence shorter than the idle limit (Node's agent
// used to give up after 5 s) does not fail a fetch; concurrent sources sharing one cache keep
// every ref in its state file.
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'isomorphic-git/http/node';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../agent/core/errors.js';
import { createGitSource, type GitSourceOptions } from '../../agent/source/git-source.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { startGitServer, type GitFault, type GitRequestInfo, type GitServer } from '../support/git-server.js';

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

/** A server whose faults the test switches at will. */
async function faultyServer(): Promise<{ server: GitServer; setFault: (f: ((i: GitRequestInfo) => GitFault | undefined) | undefined) => void }> {
  let current: ((i: GitRequestInfo) => GitFault | undefined) | undefined;
  const server = await startGitServer({ root: await tempDir('faulty-root'), fault: (i) => current?.(i) });
  servers.push(server);
  return { server, setFault: (f) => (current = f) };
}

const isPack = (i: GitRequestInfo) => i.method === 'POST' && i.path.endsWith('/git-upload-pack');
const isRefs = (i: GitRequestInfo) => i.method === 'GET' && i.path.endsWith('/info/refs');

/** A repository whose pack is a few hundred KB of incompressible data, so a stall mid-pack is mid-pack. */
async function bigRepo(root: string, name: string): Promise<void> {
  const files: Record<string, string> = { 'drover.yaml': 'environments: []\n' };
  for (let i = 0; i < 40; i++) files[`blobs/b${i}.txt`] = randomText(8000);
  await createRepo(root, name, files);
}

function randomText(n: number): string {
  let s = '';
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
}

async function failure(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

function source(url: string, cacheDir: string, extra: Partial<GitSourceOptions> = {}) {
  return createGitSource({ url, cacheDir, fs, http, ...extra });
}

describe('git source under faults', () => {
  it('a server that stalls after its headers is unreachable (transient), not "ref not found"', async () => {
    const { server, setFault } = await faultyServer();
    await createRepo(server.root, 'stall-headers', { 'drover.yaml': 'x: 1\n' });
    setFault((i) => (isRefs(i) ? { action: 'stall', afterBytes: 0 } : undefined));
    const started = Date.now();
    const e = await failure(source(`${server.url}/stall-headers.git`, await tempDir('cache'), { timeouts: { idleMs: 1500 } }).fetchRevision('main'));
    expect(e.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/stall-headers\.git@main unreachable: .*silent for 1500 ms/);
    expect(e.data.reason).toBe('unreachable');
    expect(e.retry).toBe('transient');
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a server that stalls mid-pack past the idle limit is unreachable (transient), and the cache still works after', async () => {
    const { server, setFault } = await faultyServer();
    await bigRepo(server.root, 'stall-pack');
    const cache = await tempDir('cache');
    setFault((i) => (isPack(i) ? { action: 'stall', afterBytes: 4096 } : undefined));
    const e = await failure(source(`${server.url}/stall-pack.git`, cache, { timeouts: { idleMs: 1500 } }).fetchRevision('main'));
    expect(e.data.reason).toBe('unreachable');
    expect(e.retry).toBe('transient');
    setFault(undefined);
    const snap = await source(`${server.url}/stall-pack.git`, cache, { timeouts: { idleMs: 1500 } }).fetchRevision('main');
    expect(snap.tree.readDir('blobs')).toHaveLength(40);
  });

  it('a silence of 7 s mid-pack (over Node\'s 5 s socket default, under the idle limit) does not fail the fetch', async () => {
    const { server, setFault } = await faultyServer();
    await bigRepo(server.root, 'slow-pack');
    setFault((i) => (isPack(i) ? { action: 'stall', afterBytes: 4096, ms: 7000 } : undefined));
    const snap = await source(`${server.url}/slow-pack.git`, await tempDir('cache')).fetchRevision('main');
    expect(snap.tree.readDir('blobs')).toHaveLength(40);
  });

  it('a total deadline stops a trickling response', async () => {
    const { server, setFault } = await faultyServer();
    await bigRepo(server.root, 'trickle');
    setFault((i) => (isPack(i) ? { action: 'stall', afterBytes: 4096, ms: 1000 } : undefined));
    const e = await failure(source(`${server.url}/trickle.git`, await tempDir('cache'), { timeouts: { idleMs: 5000, totalMs: 500 } }).fetchRevision('main'));
    expect(e.message).toContain('request took longer than 500 ms');
    expect(e.retry).toBe('transient');
  });

  it('a server killed mid-pack fails the fetch (not as a missing ref), and the next fetch succeeds', async () => {
    const { server, setFault } = await faultyServer();
    await bigRepo(server.root, 'drop-pack');
    const cache = await tempDir('cache');
    setFault((i) => (isPack(i) ? { action: 'drop', afterBytes: 4096 } : undefined));
    const e = await failure(source(`${server.url}/drop-pack.git`, cache).fetchRevision('main'));
    expect(e.data.reason).not.toBe('ref-missing');
    expect(e.retry).toBe('transient');
    setFault(undefined);
    expect((await source(`${server.url}/drop-pack.git`, cache).fetchRevision('main')).tree.readDir('blobs')).toHaveLength(40);
  });

  it('five sources sharing one cache fetch five refs at once and the state file keeps all five', async () => {
    const { server } = await faultyServer();
    await createRepo(server.root, 'shared', { 'drover.yaml': 'x: 0\n' });
    const branches = ['a', 'b', 'c', 'd', 'e'];
    for (const b of branches) await commitFiles(server.root, 'shared', { 'drover.yaml': `x: ${b}\n` }, { message: b, branch: b });
    const cache = await tempDir('cache');
    const sources = branches.map(() => source(`${server.url}/shared.git`, cache));
    const snaps = await Promise.all(sources.map((s, i) => s.fetchRevision(branches[i]!)));
    expect(snaps.map((s) => s.ref)).toEqual(branches);
    const state = JSON.parse(await readFile(join(sources[0]!.gitdir, 'drover-source.json'), 'utf8')) as { remoteRefs: Record<string, unknown>; lastGood: Record<string, string> };
    expect(Object.keys(state.remoteRefs).sort()).toEqual(branches.map((b) => `refs/heads/${b}`));
    expect(Object.keys(state.lastGood).sort()).toEqual(branches);
  });
});
