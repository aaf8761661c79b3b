// Issue 14: the agent does its whole job as the ServiceAccount of manifests/ — `drover agent` as a
// child process whose kubeconfig impersonates system:serviceaccount:drover-system:drover (the
// kubeconfig user's `as:`), so the real RBAC authorizer decides every request: the Fleet watch,
// its leader Lease, the forge token Secret, dry-run, the staged apply of a Cluster API cluster,
// the inventory, the environment Lease, a prune, the Fleet status, Events and the health watches.
// No request of the run is refused. SubjectAccessReviews then show what the account cannot do.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api, KubeConfig, type V1ResourceAttributes } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { fetchLease } from '../../agent/kube/lease.js';
import { buildKustomization } from '../../agent/render/index.js';
import { loadDirectoryTree } from '../../agent/render/load-directory.js';
import { startAgentProcess, type AgentProcess } from '../support/agent-process.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const admin = createKubeClient(kc, { fieldManager: 'test' });
const SYSTEM = 'drover-system';
const SERVICE_ACCOUNT = `system:serviceaccount:${SYSTEM}:drover`;
const TOKEN = 'ghp_rbac-test-token';

describe('drover agent as the manifests/ ServiceAccount (impersonated)', () => {
  const id = randomBytes(3).toString('hex');
  const env = `rbac-${id}`;
  const shard = `rbac-${id}`;
  const fleet = `rbac-${id}`;
  const repo = `agent-rbac-${id}`;
  let ns = '';
  let work = '';
  let github: GitHubApiServer;
  let agent: AgentProcess | undefined;

  const files = (withSettings: boolean) => ({
    'drover.yaml': stringify({ environments: [{ name: env, path: 'env', namespace: ns, provisioningTimeout: '10m' }] }),
    'env/kustomization.yaml': `resources:\n  - cluster.yaml\n${withSettings ? '  - settings.yaml\n' : ''}`,
    'env/cluster.yaml': clusterObjects(ns, 'eu-1').map((o) => stringify(o)).join('---\n'),
    ...(withSettings ? { 'env/settings.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } }) } : {}),
  });
  const fleetStatus = async () => (await admin.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: SYSTEM, name: fleet }))?.status as { environments?: Array<{ name: string; lastAppliedRevision?: string }> } | undefined;
  const appliedAt = (sha: string) =>
    waitUntil(async () => ((await fleetStatus())?.environments?.find((e) => e.name === env)?.lastAppliedRevision === `main@sha1:${sha}` ? true : undefined), { what: `Fleet ${fleet} applied at ${sha}`, timeoutMs: 180_000, intervalMs: 250 }).catch((e) => {
      throw new Error(`${(e as Error).message}\nagent log:\n${agent?.log().slice(-4000)}`);
    });

  beforeAll(async () => {
    for (const obj of buildKustomization(loadDirectoryTree(join(import.meta.dirname, '../../manifests')), '')) await admin.apply(obj, { dryRun: false, force: true });
    ns = await createTestNamespace(kubeconfigPath, 'agent-rbac');
    work = await mkdtemp(join(tmpdir(), 'drover-agent-rbac-'));
    github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo });
    // The admin kubeconfig, its user impersonating the ServiceAccount (kubeconfig `as:`).
    const asDrover = new KubeConfig();
    asDrover.loadFromFile(kubeconfigPath);
    const user = asDrover.getCurrentUser()!;
    asDrover.users = asDrover.users.map((u) => (u.name === user.name ? { ...u, impersonateUser: SERVICE_ACCOUNT } : u));
    await writeFile(join(work, 'kubeconfig'), asDrover.exportConfig(), { mode: 0o600 });
  }, 120_000);

  const remove = async (ref: { apiVersion: string; kind: string; namespace: string; name: string }) => {
    const live = await admin.get(ref).catch(() => undefined);
    if (live?.metadata.uid) await admin.delete(ref, { uid: live.metadata.uid }).catch(() => undefined);
  };

  afterAll(async () => {
    await agent?.stop();
    await remove({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: SYSTEM, name: fleet });
    await remove({ apiVersion: 'v1', kind: 'Secret', namespace: SYSTEM, name: fleet });
    for (const name of [`drover-agent-leader-${shard}`, `drover-apply-${env}`]) await remove({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: SYSTEM, name });
    for (const cm of (await admin.list('v1', 'ConfigMap', SYSTEM)).items) {
      if (cm.metadata.name?.endsWith(env)) await remove({ apiVersion: 'v1', kind: 'ConfigMap', namespace: SYSTEM, name: cm.metadata.name });
    }
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
    await github?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('applies, prunes, records, reports and elects itself with no request refused', async () => {
    const first = await createRepo(gitRoot, repo, files(true), { message: 'one' });
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: fleet, namespace: SYSTEM }, stringData: { token: TOKEN } }, { dryRun: false, force: true });
    await admin.apply({
      apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: fleet, namespace: SYSTEM, labels: { 'drover.dev/shard': shard } },
      spec: { source: { url: `${gitServerUrl}/${repo}.git` }, interval: '2s', forge: { kind: 'github', url: github.url, repository: `acme/${repo}`, tokenSecretRef: { name: fleet } } },
    }, { dryRun: false, force: true });
    agent = startAgentProcess('drover-rbac-0', ['--kubeconfig', join(work, 'kubeconfig'), '--namespace', SYSTEM, '--shard', shard, '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache'), '--recheck-interval', '2s', '--log-level', 'debug'], { HOME: work });

    await appliedAt(first);
    for (const o of clusterObjects(ns, 'eu-1')) expect(await admin.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.metadata.name! }), `${o.kind}/${o.metadata.name}`).toBeDefined();
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })).toBeDefined();

    // A second commit drops the ConfigMap: pruned (delete) by the ServiceAccount.
    const second = await commitFiles(gitRoot, repo, files(false), { message: 'two' });
    await appliedAt(second);
    await waitUntil(async () => ((await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' })) === undefined ? true : undefined), { what: 'settings pruned', timeoutMs: 60_000, intervalMs: 250 });

    // Its Leases (leader, and the environment's, given back after each apply), inventory, Events, statuses.
    expect((await fetchLease(admin, SYSTEM, `drover-agent-leader-${shard}`))?.spec?.holderIdentity).toBe('drover-rbac-0');
    const envLease = await fetchLease(admin, SYSTEM, `drover-apply-${env}`);
    expect(envLease).toBeDefined();
    expect(envLease?.spec?.holderIdentity).toBeUndefined();
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: SYSTEM, name: `drover-inventory-${env}` })).toBeDefined();
    const events = (await admin.list('events.k8s.io/v1', 'Event', SYSTEM)).items.filter((e) => (e as { regarding?: { name?: string } }).regarding?.name === fleet);
    expect(events.length, agent.log().split('\n').filter((l) => /event/i.test(l)).join('\n')).toBeGreaterThan(0);
    await waitUntil(async () => (github.statuses(second).some((s) => s.context === `drover/${env}`) ? true : undefined), { what: `drover/${env} posted on ${second}`, timeoutMs: 60_000, intervalMs: 250 });
    expect(github.statuses(first).some((s) => s.context === `drover/${env}`)).toBe(true);

    // Nothing the agent asked for was refused (the log is at debug: Events not posted are logged there).
    expect(agent.log()).not.toMatch(/Forbidden|forbidden|\b403\b/);
    expect(await agent.stop()).toBe(0);
    agent = undefined;
  });

  const review = async (attrs: V1ResourceAttributes) =>
    (await kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: SERVICE_ACCOUNT, groups: ['system:serviceaccounts', `system:serviceaccounts:${SYSTEM}`, 'system:authenticated'], resourceAttributes: attrs } },
    })).status?.allowed;

  it.each([
    ['read Secrets outside its namespace', { verb: 'get', resource: 'secrets', namespace: 'default' }],
    ['list Secrets in its own namespace', { verb: 'list', resource: 'secrets', namespace: SYSTEM }],
    ['write Secrets', { verb: 'create', resource: 'secrets', namespace: SYSTEM }],
    ['write Deployments', { verb: 'create', group: 'apps', resource: 'deployments', namespace: SYSTEM }],
    ['create Pods', { verb: 'create', resource: 'pods', namespace: 'default' }],
    ['write Services', { verb: 'patch', resource: 'services', namespace: 'default' }],
    ['write RBAC', { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }],
    ['impersonate', { verb: 'impersonate', resource: 'serviceaccounts', namespace: SYSTEM }],
    ['install CRDs', { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }],
    ['delete Namespaces', { verb: 'delete', resource: 'namespaces' }],
    ['delete a Fleet', { verb: 'delete', group: 'drover.dev', resource: 'fleets', namespace: SYSTEM }],
    ['write Machines (the controllers\' objects)', { verb: 'patch', group: 'cluster.x-k8s.io', resource: 'machines', namespace: 'default' }],
    ['delete Leases', { verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: SYSTEM }],
    ['write Leases outside its namespace', { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system' }],
    ['write ConfigMaps of its namespace with update… elsewhere', { verb: 'update', resource: 'configmaps', namespace: 'default' }],
  ] as const)('denies the ServiceAccount: %s', async (_what, attrs) => {
    expect(await review(attrs)).toBe(false);
  });

  it.each([
    ['take and renew its leader Lease', { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: SYSTEM, name: 'drover-agent-leader' }],
    ['create its leader Lease', { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: SYSTEM }],
    ['write a Fleet status', { verb: 'patch', group: 'drover.dev', resource: 'fleets', subresource: 'status', namespace: SYSTEM }],
    // Removing its finalizer drover.dev/prune-on-delete (spec.prune.onDelete: Delete) needs patch on
    // the Fleet itself: Kubernetes has no finalizers subresource, so RBAC cannot keep the spec apart.
    ['patch a Fleet (its prune-on-delete finalizer)', { verb: 'patch', group: 'drover.dev', resource: 'fleets', namespace: SYSTEM }],
    ['read a Fleet\'s token Secret', { verb: 'get', resource: 'secrets', namespace: SYSTEM, name: 'fleet-git' }],
  ] as const)('allows the ServiceAccount: %s', async (_what, attrs) => {
    expect(await review(attrs)).toBe(true);
  });
});
