// How the git source scales: a 1000-cluster fleet served by git http-backend, snapshotted once,
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
import { commitFiles, createRepo } from '../support/git-repo.js';
import { startGitServer, type GitRequestInfo, type GitServer } from '../support/git-server.js';

const CLUSTERS = 1000;
const scratch: string[] = [];
let server: GitServer | undefined;

afterAll(async () => {
  await server?.stop();
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

/** Seven CAPI objects per cluster, one file each, plus the cluster's kustomization. */
function generateFleet(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'drover.yaml': 'environments:\n  - {name: prod, path: environments/prod}\n',
  };
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = `c${String(i).padStart(4, '0')}`;
    names.push(n);
    const dir = `clusters/${n}`;
    files[`${dir}/kustomization.yaml`] = 'resources: [cluster.yaml, packet-cluster.yaml, control-plane.yaml, cp-template.yaml, md-0.yaml, md-0-bootstrap.yaml, md-0-template.yaml]\n';
    files[`${dir}/cluster.yaml`] = `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: ${n}}\nspec:\n  controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: ${n}-cp}\n  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: PacketCluster, name: ${n}}\n`;
    files[`${dir}/packet-cluster.yaml`] = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketCluster\nmetadata: {name: ${n}}\nspec: {projectID: p-${i}, metro: am, vipManager: CPEM}\n`;
    files[`${dir}/control-plane.yaml`] = `apiVersion: controlplane.cluster.x-k8s.io/v1beta2\nkind: KubeadmControlPlane\nmetadata: {name: ${n}-cp}\nspec:\n  replicas: 3\n  version: v1.33.2\n  machineTemplate: {spec: {infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: PacketMachineTemplate, name: ${n}-cp-v1}}}\n`;
    files[`${dir}/cp-template.yaml`] = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata: {name: ${n}-cp-v1}\nspec: {template: {spec: {machineType: c3.small.x86, os: ubuntu_22_04}}}\n`;
    files[`${dir}/md-0.yaml`] = `apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: ${n}-md-0}\nspec:\n  clusterName: ${n}\n  replicas: 3\n  selector: {matchLabels: {}}\n  template:\n    spec:\n      clusterName: ${n}\n      version: v1.33.2\n      bootstrap: {configRef: {apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: ${n}-md-0-v1}}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: PacketMachineTemplate, name: ${n}-md-0-v1}\n`;
    files[`${dir}/md-0-bootstrap.yaml`] = `apiVersion: bootstrap.cluster.x-k8s.io/v1beta2\nkind: KubeadmConfigTemplate\nmetadata: {name: ${n}-md-0-v1}\nspec: {template: {spec: {}}}\n`;
    files[`${dir}/md-0-template.yaml`] = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: PacketMachineTemplate\nmetadata: {name: ${n}-md-0-v1}\nspec: {template: {spec: {machineType: m3.large.x86, os: ubuntu_22_04}}}\n`;
  }
  files['environments/prod/kustomization.yaml'] = `namespace: fleet-prod\nresources:\n${names.map((n) => `  - ../../clusters/${n}`).join('\n')}\n`;
  return files;
}

describe('git source at scale', () => {
  it(`snapshots a ${CLUSTERS}-cluster fleet, then a one-file change reading only what changed`, async () => {
    const requests: GitRequestInfo[] = [];
    const root = await mkdtemp(join(tmpdir(), 'drover-scale-root-'));
    scratch.push(root);
    server = await startGitServer({ root, onRequest: (r) => requests.push(r) });
    const files = generateFleet(CLUSTERS);
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
    // each distinct blob once (identical files share one), the cluster dirs, and root, clusters, environments, environments/prod
    expect(afterFirst.objectsRead).toBe(new Set(Object.values(files)).size + CLUSTERS + 4);

    t = performance.now();
    await src.fetchRevision('main');
    const pollMs = performance.now() - t;

    const changed = 'clusters/c0500/md-0.yaml';
    const sha = await commitFiles(root, 'fleet', { [changed]: files[changed]!.replace('replicas: 3', 'replicas: 5') }, { message: 'resize c0500 md-0' });
    t = performance.now();
    const second = await src.fetchRevision('main');
    const secondMs = performance.now() - t;
    expect(second.sha).toBe(sha);
    // root tree, clusters/, clusters/c0500/ and the new blob: nothing else is read.
    expect(src.stats().objectsRead - afterFirst.objectsRead).toBe(4);
    expect(second.tree.hashOf('clusters/c0499')).toBe(first.tree.hashOf('clusters/c0499'));
    expect(new TextDecoder().decode(second.tree.readFile(changed))).toContain('replicas: 5');

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
