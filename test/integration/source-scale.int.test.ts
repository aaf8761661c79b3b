// How the git source scales: a 1000-cluster fleet (test/support/fleet-generator.ts) served by git http-backend, snapshotted once,
// then again after a commit that changes one file. The second snapshot must read only the trees
// on that file's path and the new blob. Times are printed, not asserted.
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'isomorphic-git/http/node';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../agent/core/log.js';
import { createGitSource } from '../../agent/source/git-source.js';
import { clusterName, generateFleet } from '../support/fleet-generator.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { startGitServer, type GitRequestInfo, type GitServer } from '../support/git-server.js';

const CLUSTERS = 1000;
const scratch: string[] = [];
let server: GitServer | undefined;

afterAll(async () => {
  await server?.stop();
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

/** Distinct directories of a file map, the root included: the tree objects git stores. */
function directoriesOf(files: Record<string, string>): number {
  const dirs = new Set(['']);
  for (const path of Object.keys(files)) {
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) dirs.add(segs.slice(0, i).join('/'));
  }
  return dirs.size;
}

describe('git source at scale', () => {
  it(`snapshots a ${CLUSTERS}-cluster fleet, then a one-file change reading only what changed`, async () => {
    const requests: GitRequestInfo[] = [];
    const root = await mkdtemp(join(tmpdir(), 'drover-scale-root-'));
    scratch.push(root);
    server = await startGitServer({ root, onRequest: (r) => requests.push(r) });
    const files = generateFleet({ clusters: CLUSTERS });
    await createRepo(root, 'fleet', files);
    const cacheDir = await mkdtemp(join(tmpdir(), 'drover-scale-cache-'));
    scratch.push(cacheDir);
    const fetches: number[] = [];
    const logger: Logger = {
      debug() {},
      info(obj) {
        const ms = (obj as { ms?: number }).ms;
        if (ms !== undefined) fetches.push(ms);
      },
      warn() {},
      error() {},
      child() {
        return logger;
      },
    };
    const src = createGitSource({ url: `${server.url}/fleet.git`, cacheDir, fs, http, logger });

    let t = performance.now();
    const first = await src.fetchRevision('main');
    const firstMs = performance.now() - t;
    const afterFirst = src.stats();
    expect(first.tree.readDir('clusters')).toHaveLength(CLUSTERS);
    // every directory and each distinct blob once (identical files share one blob)
    expect(afterFirst.objectsRead).toBe(new Set(Object.values(files)).size + directoriesOf(files));

    t = performance.now();
    await src.fetchRevision('main');
    const pollMs = performance.now() - t;

    const resized = clusterName(500);
    const changed = `clusters/${resized}/replicas.json6902.yaml`;
    const after = generateFleet({ clusters: CLUSTERS, overrides: { 500: { workerReplicas: 9 } } })[changed]!;
    expect(after).not.toBe(files[changed]);
    const sha = await commitFiles(root, 'fleet', { [changed]: after }, { message: `resize ${resized} md-0` });
    t = performance.now();
    const second = await src.fetchRevision('main');
    const secondMs = performance.now() - t;
    expect(second.sha).toBe(sha);
    // root tree, clusters/, clusters/<resized>/ and the new blob: nothing else is read.
    expect(src.stats().objectsRead - afterFirst.objectsRead).toBe(4);
    expect(second.tree.hashOf(`clusters/${clusterName(499)}`)).toBe(first.tree.hashOf(`clusters/${clusterName(499)}`));
    expect(new TextDecoder().decode(second.tree.readFile(changed))).toBe(after);

    // A restarted agent reads the whole snapshot back from its on-disk cache, without network.
    t = performance.now();
    const restarted = await createGitSource({ url: `${server.url}/fleet.git`, cacheDir, fs, http }).lastGood('main');
    const restartMs = performance.now() - t;
    expect(restarted?.sha).toBe(sha);

    const packBytes = fs.readdirSync(join(src.gitdir, 'objects/pack')).filter((f) => f.endsWith('.pack')).map((f) => fs.statSync(join(src.gitdir, 'objects/pack', f)).size);
    console.log(
      `source scale (${CLUSTERS} clusters, ${Object.keys(files).length} files): ` +
        `first fetch+snapshot ${firstMs.toFixed(0)} ms (fetch ${fetches[0]} ms, snapshot ${(firstMs - (fetches[0] ?? 0)).toFixed(0)} ms), ` +
        `no-change poll ${pollMs.toFixed(0)} ms, one-file commit ${secondMs.toFixed(0)} ms (fetch ${fetches[1]} ms), ` +
        `full snapshot from the disk cache after a restart ${restartMs.toFixed(0)} ms; ` +
        `packs ${packBytes.join(' + ')} bytes; upload-pack POSTs ${requests.filter((r) => r.method === 'POST').length}; ` +
        `cached nodes ${src.stats().cachedNodes}; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
  });
});
