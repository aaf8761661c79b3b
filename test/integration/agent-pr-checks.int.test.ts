// Pull request checks without webhooks (agent/runtime/pr-poller.ts) against real components: a
// real Gitea holds the fleet repository and its pull requests, the PR head is read over Gitea's
// smart HTTP (refs/pull/N/head), planned against the real kube-apiserver (live state and
// server-side dry-run, never a write), and the plan goes back as `drover/plan/<env>` and one
// sticky comment. Checked heads are remembered in a ConfigMap, so a restart does not re-comment.
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import http from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { emptyInventory, toInventoryEntry, withEntries, type InventoryEntry } from '../../agent/apply/inventory.js';
import { storeInventoryCas } from '../../agent/apply/inventory-store.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { createGiteaForge } from '../../agent/report/gitea.js';
import { createFileOutbox } from '../../agent/report/outbox.js';
import { createConfigMapHeadStore, checkedHeadsName } from '../../agent/runtime/pr-checked-heads.js';
import { createPlanCheck } from '../../agent/runtime/pr-plan-check.js';
import { pollPullRequests } from '../../agent/runtime/pr-poller.js';
import { createForgeReporter } from '../../agent/reconcile/report-forge.js';
import { createRenderer } from '../../agent/render/index.js';
import { createGitSource } from '../../agent/source/git-source.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { memoryLogger } from '../support/forge/memory-logger.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const REPO = 'fleet-prs';
let ns: string;
let client: KubeClient;
let gitea: GiteaInstance;
let dir: string;

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  client = createKubeClient(kc);
  ns = await createTestNamespace(inject('kubeconfigPath'), 'agent-prs');
  gitea = await startGitea(giteaBinary());
  await gitea.createRepo(REPO);
  dir = await mkdtemp(join(tmpdir(), 'drover-agent-prs-'));
  // What main already put in the management cluster: cluster pr-1 with 3 workers, in the
  // environment's inventory (kept in the test's namespace, so no other test's `staging` meets it).
  const applied: InventoryEntry[] = [];
  for (const o of clusterObjects(ns, 'pr-1', { workerReplicas: 3 })) {
    const entry = toInventoryEntry(await client.apply(o, { dryRun: false, force: true }));
    if (entry) applied.push(entry);
  }
  await storeInventoryCas(client, { environment: 'staging', namespace: ns }, { inventory: emptyInventory(), resourceVersion: undefined }, withEntries(emptyInventory(), applied));
}, 900_000);
afterAll(async () => {
  await gitea?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (ns) await deleteTestNamespace(inject('kubeconfigPath'), ns);
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const fleetFiles = (workers: number): Record<string, string> => ({
  'drover.yaml': stringify({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', environments: [{ name: 'staging', path: 'environments/staging', namespace: ns }] }),
  'environments/staging/kustomization.yaml': stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['clusters.yaml'] }),
  'environments/staging/clusters.yaml': [...clusterObjects(ns, 'pr-1', { workerReplicas: workers }), ...clusterObjects(ns, 'pr-2')].map((o) => stringify(o)).join('---\n'),
});

/** Opens a pull request whose branch adds the fleet with pr-1 resized and a new cluster pr-2. */
async function openFleetPullRequest(branch: string, workers: number): Promise<{ number: number; head: string }> {
  const files = Object.entries(fleetFiles(workers)).map(([path, content]) => ({ operation: 'create', path, content: b64(content) }));
  await gitea.api('POST', `/repos/drover/${REPO}/contents`, { files, branch: 'main', new_branch: branch, message: `resize pr-1 to ${workers}, add pr-2` });
  const pr = await gitea.api<{ number: number; head: { sha: string } }>('POST', `/repos/drover/${REPO}/pulls`, { head: branch, base: 'main', title: `Resize pr-1 to ${workers}` });
  return { number: pr.number, head: pr.head.sha };
}

/** Pushes a new commit to the branch that changes the pool size again. */
async function pushResize(branch: string, workers: number): Promise<string> {
  const path = 'environments/staging/clusters.yaml';
  const current = await gitea.api<{ sha: string }>('GET', `/repos/drover/${REPO}/contents/${path}?ref=${branch}`);
  const res = await gitea.api<{ commit: { sha: string } }>('PUT', `/repos/drover/${REPO}/contents/${path}`, { content: b64(fleetFiles(workers)[path]!), sha: current.sha, branch, message: `resize pr-1 to ${workers}` });
  return res.commit.sha;
}

function poller(log = memoryLogger()) {
  const forge = createGiteaForge({ baseUrl: gitea.url, owner: 'drover', repo: REPO, token: gitea.token, fetch: globalThis.fetch, maxAttempts: 2 });
  const reporter = createForgeReporter(forge, createFileOutbox(join(dir, 'outbox.json')), log);
  const source = createGitSource({ url: `${gitea.url}/drover/${REPO}.git`, cacheDir: join(dir, 'git'), fs, http });
  const renderer = createRenderer();
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  const storeClient = createKubeClient(kc); // its writes (the checked heads) are counted apart from the plan's
  const check = createPlanCheck({ source, forgeKind: 'gitea', client, render: (s, d) => renderer.build(s.tree, d), log, applyOptions: { inventoryNamespace: ns } });
  return () =>
    pollPullRequests({
      forge,
      reportStatuses: (sha, statuses) => reporter.reportStatuses(sha, statuses),
      reportComment: (pr, env, markdown) => reporter.reportPlanComment(pr, env, markdown),
      check,
      store: createConfigMapHeadStore(storeClient, { namespace: ns, name: 'fleet' }),
      baseRef: 'main',
      log,
    });
}

const comments = (pr: number) => gitea.api<{ id: number; body: string }[]>('GET', `/repos/drover/${REPO}/issues/${pr}/comments`);
const planStatuses = async (sha: string) =>
  (await gitea.api<{ status: string; context: string; description: string }[]>('GET', `/repos/drover/${REPO}/statuses/${sha}?limit=50`)).filter((s) => s.context === 'drover/plan/staging');

describe('pull request checks by polling, without webhooks', () => {
  it('checks a new pull request, skips it while its head stays, and edits the one comment on a new push', async () => {
    const writesBefore = client.requests.writes();
    const pr = await openFleetPullRequest('resize-pr-1', 5);
    const poll = poller();
    const first = await poll();
    expect(first).toMatchObject({ checked: [pr.number], unchanged: [], failed: [] });
    const status = await planStatuses(pr.head);
    expect(status.map((s) => [s.status, s.description])).toEqual([['success', '+1 cluster, 1 pool resized, 0 deleted']]);
    const c1 = await comments(pr.number);
    expect(c1).toHaveLength(1);
    expect(c1[0]!.body).toMatch(/^<!-- drover:plan:staging -->\n/);
    expect(c1[0]!.body).toContain('pr-2');
    expect(c1[0]!.body).toMatch(/3 → 5/);

    // Same head: nothing is planned or posted again.
    expect(await poll()).toMatchObject({ checked: [], unchanged: [pr.number] });
    // A restarted agent (new poller, same ConfigMap) does not comment again either.
    expect(await poller()()).toMatchObject({ checked: [], unchanged: [pr.number] });
    expect(await comments(pr.number)).toHaveLength(1);
    expect(await planStatuses(pr.head)).toHaveLength(1);

    // A new push: planned again, the same comment edited in place, the status on the new head.
    const head2 = await pushResize('resize-pr-1', 7);
    expect(await poll()).toMatchObject({ checked: [pr.number] });
    const c2 = await comments(pr.number);
    expect(c2.map((c) => c.id)).toEqual([c1[0]!.id]);
    expect(c2[0]!.body).toMatch(/3 → 7/);
    expect((await planStatuses(head2)).map((s) => s.status)).toEqual(['success']);

    // Planning never writes to the management cluster.
    expect(client.requests.writes()).toBe(writesBefore);
    const cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: checkedHeadsName('fleet') });
    expect(cm?.data).toEqual({ [`pr-${pr.number}`]: head2 });

    // Closed: forgotten, and its key leaves the ConfigMap.
    await gitea.api('PATCH', `/repos/drover/${REPO}/pulls/${pr.number}`, { state: 'closed' });
    expect(await poll()).toMatchObject({ checked: [], unchanged: [], forgotten: [pr.number] });
    const after = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: checkedHeadsName('fleet') });
    expect(after?.data ?? {}).toEqual({});
  });

  it('lists open pull requests with their heads through the Gitea adapter', async () => {
    const pr = await openFleetPullRequest('list-me', 4);
    const forge = createGiteaForge({ baseUrl: gitea.url, owner: 'drover', repo: REPO, token: gitea.token, fetch: globalThis.fetch });
    const open = await forge.listOpenPullRequests();
    expect(open.find((p) => p.number === pr.number)).toEqual({ number: pr.number, headSha: pr.head, headRef: 'list-me', baseRef: 'main', title: 'Resize pr-1 to 4' });
  });
});
