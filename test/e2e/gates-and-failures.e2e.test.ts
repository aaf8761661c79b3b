// Drover's judgement against what the real Cluster API controllers do: the promotion gate opens
// for prod only once staging's real clusters are Available; a cluster whose machines never come up
// turns failure after the environment's provisioning timeout, with the reason CAPI reports.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCapiObjects, recordCapiStatus } from '../support/capi-status-recorder.js';
import { devClusterObjects } from '../support/dev-cluster-objects.js';
import { fleetFiles, followStatus, startE2eForge, type E2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');
const clusterLines = (stdout: string) => stdout.split('\n').filter((l) => /^(success|pending|failure|error)\s+\S+\/\S+:/.test(l));

let forge: E2eForge;
const namespaces: string[] = [];
const namespace = async (prefix: string) => {
  const ns = await createTestNamespace(kubeconfigPath, prefix);
  namespaces.push(ns);
  return ns;
};

beforeAll(async () => {
  forge = await startE2eForge(kubeconfigPath);
}, 900_000);
afterAll(async () => {
  await forge?.stop();
  for (const ns of namespaces) await deleteTestNamespace(kubeconfigPath, ns);
});

// Environment names are unique across the e2e files: an inventory belongs to one fleet repository.
describe('promotion gate over real clusters', () => {
  it('keeps prod waiting (nothing written) while staging provisions, and releases it once staging is Available', async () => {
    const repo = `fleet-gate-${id}`;
    const stgNs = await namespace('e2e-gate-stg');
    const prdNs = await namespace('e2e-gate-prd');
    const sha = await forge.hostFleet(repo, fleetFiles([
      { name: 'gate-stg', namespace: stgNs, clusters: { s1: devClusterObjects(stgNs, 's1') }, provisioningTimeout: '10m' },
      { name: 'gate-prd', namespace: prdNs, clusters: { p1: devClusterObjects(prdNs, 'p1') }, after: 'gate-stg', provisioningTimeout: '10m' },
    ]));
    const staged = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'gate-stg', '--report');
    expect(staged.code, staged.stdout + staged.stderr).toBe(0);
    const waiting = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'gate-prd', '--report');
    expect(waiting.code, waiting.stdout + waiting.stderr).toBe(3);
    expect(waiting.stdout).toContain(`gate-prd: waiting for gate-stg (pending at main@sha1:${sha.slice(0, 7)})`);
    expect(await readCapiObjects(kubeconfigPath, prdNs)).toEqual([]);

    // Only the real controllers move staging: status follows until it is green.
    const runs = await followStatus(forge, repo, ['--ref', sha, '--env', 'gate-stg'], { timeoutMs: 480_000 });
    expect(runs.at(-1)!.code, runs.at(-1)!.stdout).toBe(0);
    expect(clusterLines(runs.at(-1)!.stdout)).toEqual(['success  gate-stg/s1: Available, cp 1/1, workers 1/1, v1.33.4']);

    const promoted = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'gate-prd', '--report');
    expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
    const prd = await followStatus(forge, repo, ['--ref', sha, '--env', 'gate-prd'], { timeoutMs: 480_000 });
    expect(clusterLines(prd.at(-1)!.stdout)).toEqual(['success  gate-prd/p1: Available, cp 1/1, workers 1/1, v1.33.4']);
    const gate = (await forge.history(repo, sha, 'drover/gate-prd')).map((s) => s.state);
    expect(gate[0]).toBe('pending');
    expect(gate.at(-1)).toBe('success');
  });
});

describe('a cluster that never becomes Available', () => {
  it('is pending while within the provisioning timeout and failure after it, with the reason CAPI reports', async () => {
    const repo = `fleet-broken-${id}`;
    const ns = await namespace('e2e-broken');
    // The worker template is broken: its machines' (simulated) VMs never finish booting.
    const objects = devClusterObjects(ns, 'b1').map((o) => (o.kind === 'DevMachineTemplate' && o.metadata.name === 'b1-md-0-v1'
      ? { ...o, spec: { template: { spec: { backend: { inMemory: { vm: { provisioning: { startupDuration: '24h' } } } } } } } }
      : o));
    const sha = await forge.hostFleet(repo, fleetFiles([{ name: 'brk', namespace: ns, clusters: { b1: objects }, provisioningTimeout: '90s' }]));
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'brk', '--report');
    expect(applied.code, applied.stderr).toBe(0);
    let seq = 0;
    const runs = await followStatus(forge, repo, ['--ref', sha, '--env', 'brk'], {
      timeoutMs: 300_000,
      intervalMs: 5_000,
      onRun: async (r) => { await recordCapiStatus(kubeconfigPath, ns, { scenario: `broken-${id}`, moment: `status-exit-${r.code}`, droverSaid: clusterLines(r.stdout) }, seq++); },
    });
    const last = runs.at(-1)!;
    expect(last.code, last.stdout).toBe(1);
    const [line] = clusterLines(last.stdout);
    expect(line).toMatch(/^failure {2}brk\/b1: Timed out after 1m30s: /);
    const states = (await forge.history(repo, sha, 'drover/brk/b1')).map((s) => s.state);
    expect(states[0]).toBe('pending');
    expect(states.at(-1)).toBe('failure');
  });
});
