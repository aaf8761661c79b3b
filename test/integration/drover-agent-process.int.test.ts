// `drover agent` as a child process, end to end, against the real kube-apiserver, the git
// http-backend and a real Gitea: a Fleet is created and staging is applied with statuses on
// Gitea; CAPI-like status written onto the objects turns drover/staging from pending to success
// by itself, and prod (after: staging) is then applied by itself; a restart of the agent
// re-applies nothing and posts no status twice.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { clusterV1beta2, counters, kcpV1beta2, mdV1beta2 } from '../support/capi-shapes.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { commitFiles, createRepo, repoPath } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const custom = kc.makeApiClient(CustomObjectsApi);
const admin = createKubeClient(kc, { fieldManager: 'test' });

describe('drover agent, a child process, with Gitea as the forge', () => {
  const repo = `agent-e2e-${Date.now().toString(36)}`;
  let gitea: GiteaInstance;
  let work: string;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  const ns = { fleet: '', staging: '', prod: '' };
  let first = '';

  const files = (value: string) => ({
    'drover.yaml': stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace: ns.staging, provisioningTimeout: '10m' }, { name: 'prod', path: 'environments/prod', namespace: ns.prod, after: 'staging' }] }),
    'environments/staging/kustomization.yaml': 'resources:\n  - eu-1.yaml\n',
    'environments/staging/eu-1.yaml': clusterObjects(ns.staging, 'eu-1', { workerReplicas: 1 }).map((o) => stringify(o)).join('---\n'),
    'environments/prod/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/prod/settings.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { value } }),
  });
  const auth = () => `Authorization: Basic ${Buffer.from(`${gitea.user}:${gitea.token}`).toString('base64')}`;
  const mirror = () => run('git', ['-c', `http.extraHeader=${auth()}`, 'push', '--quiet', '--force', `${gitea.url}/${gitea.user}/${repo}.git`, 'refs/heads/main:refs/heads/main'], { cwd: repoPath(gitRoot, repo) });
  const statuses = async (sha: string, context: string) => {
    const all = await gitea.api<Array<{ id: number; context: string; status: string }>>('GET', `/repos/${gitea.user}/${repo}/statuses/${sha}?limit=50`);
    return all.filter((s) => s.context === context).sort((a, b) => a.id - b.id).map((s) => s.status);
  };
  const startAgentProcess = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/drover-cli.ts'), 'agent', '--kubeconfig', kubeconfigPath, '--namespace', ns.fleet, '--inventory-namespace', ns.fleet, '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache'), '--recheck-interval', '2s', '--log-level', 'info'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: work } });
    child.stdout!.on('data', (c) => (agentLog += String(c)));
    child.stderr!.on('data', (c) => (agentLog += String(c)));
    return child;
  };
  const stopAgentProcess = async () => {
    const child = agent;
    agent = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const writeStatus = async (namespace: string, apiVersion: string, plural: string, name: string, status: (g: number) => unknown) => {
    const [group, version] = apiVersion.split('/') as [string, string];
    const live = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as KubeObject;
    await custom.replaceNamespacedCustomObjectStatus({ group, version, namespace, plural, name, body: { ...live, status: status(live.metadata.generation!) } });
  };

  beforeAll(async () => {
    gitea = await startGitea(giteaBinary());
    work = await mkdtemp(join(tmpdir(), 'drover-agent-e2e-'));
    ns.fleet = await createTestNamespace(kubeconfigPath, 'e2e');
    ns.staging = await createTestNamespace(kubeconfigPath, 'e2e-stg');
    ns.prod = await createTestNamespace(kubeconfigPath, 'e2e-prd');
    first = await createRepo(gitRoot, repo, files('one'), { message: 'fleet' });
    await gitea.api('POST', '/user/repos', { name: repo, auto_init: false, default_branch: 'main' });
    await mirror();
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: ns.fleet }, stringData: { token: gitea.token } }, { dryRun: false, force: true });
    agent = startAgentProcess();
  }, 900_000);

  afterAll(async () => {
    await stopAgentProcess();
    for (const n of Object.values(ns)) if (n) await deleteTestNamespace(kubeconfigPath, n);
    await gitea?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('applies staging when the Fleet is created and posts pending statuses on Gitea', async () => {
    await admin.apply({
      apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'fleet', namespace: ns.fleet },
      spec: { source: { url: `${gitServerUrl}/${repo}.git` }, interval: '2s', forge: { kind: 'gitea', url: gitea.url, repository: `${gitea.user}/${repo}`, tokenSecretRef: { name: 'forge' } } },
    }, { dryRun: false, force: true });
    await waitUntil(async () => ((await statuses(first, 'drover/staging')).includes('pending') ? true : undefined), { what: `drover/staging pending on ${first}`, timeoutMs: 120_000, intervalMs: 500 }).catch((e) => {
      throw new Error(`${(e as Error).message}\nagent log:\n${agentLog.slice(-3000)}`);
    });
    expect(await admin.get({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: ns.staging, name: 'eu-1' })).toBeDefined();
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings' })).toBeUndefined();
  });

  it('turns drover/staging green once CAPI reports the cluster, then applies prod by itself', async () => {
    await writeStatus(ns.staging, 'controlplane.cluster.x-k8s.io/v1beta2', 'kubeadmcontrolplanes', 'eu-1-cp', (g) => kcpV1beta2({ cluster: 'eu-1', generation: g }).status);
    await writeStatus(ns.staging, 'cluster.x-k8s.io/v1beta2', 'machinedeployments', 'eu-1-md-0', (g) => mdV1beta2({ cluster: 'eu-1', replicas: 1, generation: g }).status);
    await writeStatus(ns.staging, 'cluster.x-k8s.io/v1beta2', 'clusters', 'eu-1', (g) => clusterV1beta2({ name: 'eu-1', generation: g, workers: counters(1) }).status);
    await waitUntil(async () => ((await statuses(first, 'drover/staging')).at(-1) === 'success' ? true : undefined), { what: 'drover/staging success', timeoutMs: 60_000, intervalMs: 500 });
    await waitUntil(async () => (await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings' })) ?? undefined, { what: 'prod applied', timeoutMs: 60_000, intervalMs: 500 });
    await waitUntil(async () => ((await statuses(first, 'drover/prod')).at(-1) === 'success' ? true : undefined), { what: 'drover/prod success', timeoutMs: 60_000, intervalMs: 500 });
  });

  it('applies a pushed commit within an interval and, after a restart, re-applies and re-posts nothing', async () => {
    const second = await commitFiles(gitRoot, repo, files('two'), { message: 'two' });
    await mirror();
    await waitUntil(async () => ((await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings' }))?.data as { value?: string } | undefined)?.value === 'two' ? true : undefined, { what: 'prod at two', timeoutMs: 60_000, intervalMs: 500 });
    await waitUntil(async () => ((await statuses(second, 'drover/prod')).at(-1) === 'success' ? true : undefined), { what: 'drover/prod success on the second commit', timeoutMs: 60_000, intervalMs: 500 });
    const before = { staging: await statuses(second, 'drover/staging'), prod: await statuses(second, 'drover/prod') };
    const cm = await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings' });
    await stopAgentProcess();
    agent = startAgentProcess();
    await new Promise((r) => setTimeout(r, 10_000));
    expect({ staging: await statuses(second, 'drover/staging'), prod: await statuses(second, 'drover/prod') }).toEqual(before);
    expect((await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.prod, name: 'settings' }))?.metadata.resourceVersion).toBe(cm?.metadata.resourceVersion);
  });
});
