// A local directory as a fleet source: read into memory with git's own object ids.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../agent/core/errors.js';
import { createLocalSource } from '../../agent/source/local-source.js';

const run = promisify(execFile);
const scratch: string[] = [];
afterAll(async () => {
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

async function fleetDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-local-'));
  scratch.push(dir);
  await mkdir(join(dir, 'clusters/eu-1'), { recursive: true });
  await mkdir(join(dir, 'environments/staging'), { recursive: true });
  await mkdir(join(dir, 'empty'), { recursive: true });
  await writeFile(join(dir, 'drover.yaml'), 'environments:\n  - {name: staging, path: environments/staging}\n');
  await writeFile(join(dir, 'clusters/eu-1/cluster.yaml'), 'kind: Cluster\n');
  await writeFile(join(dir, 'environments/staging/kustomization.yaml'), 'resources: [../../clusters/eu-1]\n');
  await writeFile(join(dir, 'run.sh'), '#!/bin/sh\n');
  await chmod(join(dir, 'run.sh'), 0o755);
  await symlink('environments/staging', join(dir, 'current'));
  return dir;
}

const gitEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

describe('local source', () => {
  it('reads a directory with the tree OID git gives the same content as its revision', async () => {
    const dir = await fleetDir();
    const snap = await createLocalSource(dir).fetchRevision();
    await run('git', ['init', '-q'], { cwd: dir, env: gitEnv });
    await run('git', ['add', '-A'], { cwd: dir, env: gitEnv });
    const { stdout } = await run('git', ['write-tree'], { cwd: dir, env: gitEnv });
    expect(snap.revision).toBe(`local@sha1:${stdout.trim()}`);
    expect(snap).toMatchObject({ ref: 'local', sha: stdout.trim() });
    const blob = (await run('git', ['rev-parse', ':clusters/eu-1/cluster.yaml'], { cwd: dir, env: gitEnv })).stdout.trim();
    expect(snap.tree.hashOf('clusters/eu-1/cluster.yaml')).toBe(blob);

    // .git is not part of the content, and reading again gives the same revision.
    expect(snap.tree.stat('.git')).toBeUndefined();
    expect((await createLocalSource(dir).fetchRevision()).revision).toBe(snap.revision);
  });

  it('keeps symlinks as symlinks, leaves out empty directories, and changes revision with content', async () => {
    const dir = await fleetDir();
    const src = createLocalSource(dir);
    const before = await src.fetchRevision();
    expect(before.tree.readLink('current')).toBe('environments/staging');
    expect(before.tree.stat('empty')).toBeUndefined();
    expect(new TextDecoder().decode(before.tree.readFile('clusters/eu-1/cluster.yaml'))).toBe('kind: Cluster\n');
    await writeFile(join(dir, 'clusters/eu-1/cluster.yaml'), 'kind: Cluster\nmetadata: {name: eu-1}\n');
    const after = await src.fetchRevision();
    expect(after.revision).not.toBe(before.revision);
    expect(after.tree.hashOf('environments')).toBe(before.tree.hashOf('environments'));
  });

  it('names the directory when it does not exist', async () => {
    const missing = join(tmpdir(), `drover-no-such-dir-${Date.now()}`);
    const err = await createLocalSource(missing).fetchRevision().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toBe(`${missing}@local directory unreadable: no such directory`);
  });
});
