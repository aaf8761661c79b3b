// A validating admission webhook that answers too late, against the real kube-apiserver: the
// apiserver then refuses the server-side apply dry-run with a 500 ("failed calling webhook …:
// context deadline exceeded"), as it does with Cluster API's webhooks on a loaded machine. That
// says nothing about the object: the dry-run is tried again, and if the webhook still does not
// answer the plan is not made (PlanFailed, transient: the agent backs off and retries) instead of
// being blocked by a "dry-run-failed" safety finding that would hold the revision for good.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../agent/core/log.js';
import { Retry } from '../../agent/core/errors.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import { findEnvironment, loadRevision } from '../../agent/reconcile/load-revision.js';
import { FailureReason } from '../../agent/reconcile/failure-reason.js';
import { reconcileEnvironment, ReconcileMode } from '../../agent/reconcile/reconcile-environment.js';
import { createRenderer } from '../../agent/render/index.js';
import { createLocalSource } from '../../agent/source/local-source.js';
import { createPlaneCertificates } from '../support/plane-certificates.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const admin = createKubeClient(kc, { fieldManager: 'test' });

let ns: string;
let work: string;
let server: Server;
let webhookName: string;
/** How many of the next admission requests the webhook holds past the apiserver's 1 s timeout. */
let stallNext = 0;
let calls = 0;

beforeAll(async () => {
  ns = await createTestNamespace(kubeconfigPath, 'dryrun-webhook');
  work = await mkdtemp(join(tmpdir(), 'drover-dryrun-webhook-'));
  const certs = await createPlaneCertificates(join(work, 'pki'));
  server = createServer({ cert: await readFile(certs.servingCertPath), key: await readFile(certs.servingKeyPath) }, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      calls++;
      const review = JSON.parse(body) as { request: { uid: string } };
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } }));
      };
      if (stallNext > 0) {
        stallNext--;
        setTimeout(answer, 3_000);
      } else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  webhookName = `drover-test-slow-${ns}`;
  await admin.apply({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: webhookName },
    webhooks: [{
      name: 'slow.drover.test',
      clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(certs.caCert).toString('base64') },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
      objectSelector: { matchLabels: { 'drover.test/slow-webhook': 'true' } },
      // None: dry-run requests are sent to it (a webhook with side effects refuses dry-run).
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      failurePolicy: 'Fail',
      timeoutSeconds: 1,
    }],
  } as never, { dryRun: false, force: true });
  // The apiserver picks the configuration up asynchronously: wait until the webhook is called.
  const probe = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: ns, labels: { 'drover.test/slow-webhook': 'true' } }, data: {} };
  for (let i = 0; calls === 0 && i < 100; i++) {
    await admin.apply(probe, { dryRun: true, force: true }).catch(() => undefined);
    if (calls === 0) await new Promise((r) => setTimeout(r, 200));
  }
  expect(calls).toBeGreaterThan(0);
}, 120_000);

afterAll(async () => {
  if (webhookName) {
    const ref = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: webhookName };
    const live = await admin.get(ref);
    if (live) await admin.delete(ref, { uid: live.metadata.uid! });
  }
  server?.close();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  if (work) await rm(work, { recursive: true, force: true });
});

async function fleetDir(name: string): Promise<string> {
  const dir = join(work, name);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { 'drover.test/slow-webhook': 'true' } }, data: { key: 'value' } };
  await mkdir(join(dir, 'environments', 'env'), { recursive: true });
  await writeFile(join(dir, 'drover.yaml'), stringify({ environments: [{ name: 'env', path: 'environments/env', namespace: ns }] }));
  await writeFile(join(dir, 'environments', 'env', 'kustomization.yaml'), stringify({ resources: ['cm.yaml'] }));
  await writeFile(join(dir, 'environments', 'env', 'cm.yaml'), stringify(cm));
  return dir;
}

async function reconcile(name: string, client: KubeClient) {
  const dir = await fleetDir(name);
  const loaded = await loadRevision(() => createLocalSource(dir).fetchRevision(), silentLogger);
  if (!loaded.ok) throw loaded.failure.error;
  const renderer = createRenderer();
  return reconcileEnvironment(
    { snapshot: loaded.snapshot, config: loaded.config, environment: findEnvironment(loaded.config, 'env'), mode: ReconcileMode.Apply },
    {
      client,
      render: (s, dir) => renderer.build(s.tree, dir),
      log: silentLogger,
      applyOptions: { inventoryNamespace: ns, transientRetry: { attempts: 3, baseDelayMs: 200, maxDelayMs: 400 } },
      lease: false,
    },
  );
}

describe('a dry-run refused because an admission webhook timed out', () => {
  it('is tried again, and the apply goes through once the webhook answers in time', async () => {
    stallNext = 2;
    const client = createKubeClient(kc);
    const outcome = await reconcile('slow-twice', client);
    expect(outcome.failure?.error.message).toBeUndefined();
    expect(outcome.blocked).toBe(false);
    expect(outcome.plan?.findings).toEqual([]);
    expect(client.requests.get('dry-run')).toBe(3);
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'slow-twice' })).toBeDefined();
  });

  it('still timing out after the retries, fails the plan as transient instead of blocking it, and writes nothing', async () => {
    stallNext = 100;
    const client = createKubeClient(kc);
    const outcome = await reconcile('slow-always', client);
    stallNext = 0;
    expect(outcome.blocked).toBe(false);
    expect(outcome.plan).toBeUndefined();
    expect(outcome.failure?.reason).toBe(FailureReason.PlanFailed);
    expect(outcome.failure?.error.retry).toBe(Retry.Transient);
    expect(outcome.failure?.error.message).toMatch(new RegExp(`^dry-run failed for 1 object:\\n  ConfigMap/${ns}/slow-always InternalError: .*failed calling webhook "slow\\.drover\\.test".*`));
    expect(client.requests.get('dry-run')).toBe(3);
    expect(client.requests.writes()).toBe(0);
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'slow-always' })).toBeUndefined();
  });
});
