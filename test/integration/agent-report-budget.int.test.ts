// Issue 8 #8 in the agent: a forge that accepts connections and never answers must not hold a
// reconcile. The agent bounds the time one reconcile of a Fleet spends reporting (its report
// budget, `--report-timeout`), as `drover apply --report-timeout` bounds a run: the environment is
// applied, its statuses wait in the Fleet's outbox, and the reconcile ends. Real kube-apiserver,
// real git http-backend, the GitHub stand-in held to GitHub's OpenAPI description, hanging.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../agent/core/log.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../../agent/reconcile/status-record.js';
import { createFileOutbox } from '../../agent/report/outbox.js';
import { AgentStateStore } from '../../agent/runtime/agent-state.js';
import { FleetReconciler } from '../../agent/runtime/fleet-reconciler.js';
import { parseFleetResource } from '../../agent/runtime/fleet-resource.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const TOKEN = 'ghp_BUDGETtokenThatMustNeverAppear0000';

describe('agent report budget', () => {
  const repo = `agent-budget-${process.pid}-${Date.now().toString(36)}`;
  let ns: string;
  let cacheDir: string;
  let github: GitHubApiServer;
  let client: KubeClient;
  let sha: string;

  beforeAll(async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    client = createKubeClient(kc);
    ns = await createTestNamespace(kubeconfigPath, 'budget');
    cacheDir = await mkdtemp(join(tmpdir(), 'drover-budget-'));
    github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: 'fleet' });
    sha = await createRepo(gitRoot, repo, {
      'drover.yaml': `environments:\n  - name: budget\n    path: env\n    namespace: ${ns}\n`,
      'env/kustomization.yaml': 'resources:\n  - settings.yaml\n',
      'env/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: one\n',
    });
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: ns }, stringData: { token: TOKEN } }, { dryRun: false, force: true });
  });
  afterAll(async () => {
    await github?.close();
    if (ns) await deleteTestNamespace(kubeconfigPath, ns);
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('a forge that never answers holds a reconcile no longer than the budget; its statuses wait in the outbox', async () => {
    // Every request hangs: accepted, never answered (each attempt alone may wait 30 s, five times).
    github.failNext({ status: 0, hang: true }, 1000);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const reconciler = new FleetReconciler({
      client: createKubeClient(kc),
      recordClient: createKubeClient(kc, { fieldManager: RECORD_FIELD_MANAGER }),
      state: new AgentStateStore(),
      plugins: [],
      log: silentLogger,
      now: Date.now,
      cacheDir,
      inventoryNamespace: ns,
      recheckMs: 1000,
      reportTimeoutMs: 2000,
    });
    const fleet = parseFleetResource({
      apiVersion: 'drover.dev/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'budget', namespace: ns, generation: 1, uid: 'u-budget' },
      spec: { source: { url: `${gitServerUrl}/${repo}.git`, ref: 'main' }, interval: '1m', forge: { kind: 'github', url: github.url, repository: 'acme/fleet', tokenSecretRef: { name: 'forge' } } },
    });
    const started = Date.now();
    await reconciler.reconcile(fleet);
    const took = Date.now() - started;
    // Applied, whatever the forge does.
    expect(((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'settings' }))?.data as Record<string, string>).value).toBe('one');
    // Bounded by the budget (2 s) plus the reconcile's own work, far from 5 attempts × 30 s per status.
    expect(took).toBeLessThan(30_000);
    const path = join(cacheDir, 'outbox', `${ns}--budget.json`);
    const queued = (await createFileOutbox(path).list()).filter((e) => e.sha === sha).map((e) => e.status.context);
    expect(queued).toContain('drover/budget');
    expect(await readFile(path, 'utf8')).not.toContain(TOKEN);
  }, 120_000);
});
