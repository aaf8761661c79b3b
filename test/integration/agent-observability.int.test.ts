// `drover agent` as a child process against the real kube-apiserver and a real Gitea (private
// repository read through a git URL with userinfo, forge token in a Secret, forge reached through
// a TCP proxy the test cuts and restores): /healthz and /readyz; commit statuses that wait in the
// outbox while the forge is down and are delivered by the outbox pump when it returns; a forge
// that refuses (401) has its statuses dropped and recorded; Events on the Fleet naming revision
// and stage, not one per interval for a stuck Fleet; drift counted; /metrics parsed by a strict
// Prometheus text parser with every metric of issue 9 present; and no secret of the test in any
// log line, metric, Fleet status, Event or outbox file.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { commitFiles, createRepo, repoPath } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { findSamples, parsePromText, sumSamples, type PromFamily } from '../support/prom-text.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait-until.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const admin = createKubeClient(kc, { fieldManager: 'test' });

interface EventObject extends KubeObject {
  type: string;
  reason: string;
  note: string;
  regarding: { name: string };
  series?: { count: number };
}

describe('drover agent in production: probes, metrics, events, redacted logs, the outbox pump', () => {
  const repo = `obs-${Date.now().toString(36)}`;
  let gitea: GiteaInstance;
  let proxy: TcpProxy;
  let work: string;
  let agent: ChildProcess | undefined;
  let agentUrl = '';
  let agentLog = '';
  const ns = { fleet: '', staging: '', other: '' };
  const shas: string[] = [];
  let secrets: string[] = [];

  const files = (value: string) => ({
    'drover.yaml': stringify({ environments: [{ name: 'staging', path: 'environments/staging', namespace: ns.staging, provisioningTimeout: '10m' }] }),
    'other.yaml': stringify({ environments: [{ name: 'other', path: 'environments/other', namespace: ns.other }] }),
    'environments/staging/kustomization.yaml': 'resources:\n  - eu-1.yaml\n  - settings.yaml\n',
    'environments/staging/eu-1.yaml': clusterObjects(ns.staging, 'eu-1', { workerReplicas: 1 }).map((o) => stringify(o)).join('---\n'),
    'environments/staging/settings.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { value } }),
    'environments/other/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/other/settings.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { value } }),
  });
  const giteaHostPort = () => new URL(gitea.url).host;
  const auth = () => `Authorization: Basic ${Buffer.from(`${gitea.user}:${gitea.token}`).toString('base64')}`;
  const mirror = () => run('git', ['-c', `http.extraHeader=${auth()}`, 'push', '--quiet', '--force', `${gitea.url}/${gitea.user}/${repo}.git`, 'refs/heads/main:refs/heads/main'], { cwd: repoPath(gitRoot, repo) });
  const statuses = async (sha: string, context: string) => {
    const all = await gitea.api<Array<{ id: number; context: string; status: string }>>('GET', `/repos/${gitea.user}/${repo}/statuses/${sha}?limit=50`);
    return all.filter((s) => s.context === context).sort((a, b) => a.id - b.id).map((s) => s.status);
  };
  const get = async (path: string) => {
    const res = await fetch(`${agentUrl}${path}`);
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  };
  const scrape = async (): Promise<Map<string, PromFamily>> => parsePromText((await get('/metrics')).text);
  const fleetEvents = async (name: string) => ((await admin.list('events.k8s.io/v1', 'Event', ns.fleet)).items as EventObject[]).filter((e) => e.regarding.name === name);
  const withLog = <T>(p: Promise<T>) => p.catch((e: Error) => {
    throw new Error(`${e.message}\nagent log (tail):\n${agentLog.slice(-4000)}`);
  });
  const fleetSpec = (forge: { url: string; tokenSecret: string }, path = 'drover.yaml') => ({
    // The repository is private: the agent reads it with the credentials of the `git` Secret.
    source: { url: `http://${giteaHostPort()}/${gitea.user}/${repo}.git`, secretRef: { name: 'git' } },
    path,
    interval: '2s',
    forge: { kind: 'gitea', url: forge.url, repository: `${gitea.user}/${repo}`, tokenSecretRef: { name: forge.tokenSecret } },
  });

  beforeAll(async () => {
    gitea = await startGitea(giteaBinary());
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(gitea.url).port) });
    work = await mkdtemp(join(tmpdir(), 'drover-obs-'));
    ns.fleet = await createTestNamespace(kubeconfigPath, 'obs');
    ns.staging = await createTestNamespace(kubeconfigPath, 'obs-stg');
    ns.other = await createTestNamespace(kubeconfigPath, 'obs-oth');
    shas.push(await createRepo(gitRoot, repo, files('one'), { message: 'fleet' }));
    await gitea.api('POST', '/user/repos', { name: repo, auto_init: false, default_branch: 'main', private: true });
    await mirror();
    const refused = `refused-${Date.now().toString(36)}-0123456789abcdef`;
    secrets = [gitea.token, Buffer.from(`${gitea.user}:${gitea.token}`).toString('base64'), refused];
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: ns.fleet }, stringData: { token: gitea.token } }, { dryRun: false, force: true });
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge-refused', namespace: ns.fleet }, stringData: { token: refused } }, { dryRun: false, force: true });
    await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'git', namespace: ns.fleet }, stringData: { username: gitea.user, password: gitea.token } }, { dryRun: false, force: true });
    const child = spawn(process.execPath, [
      '--import', 'tsx', join(ROOT, 'test/support/drover-cli.ts'), 'agent', '--kubeconfig', kubeconfigPath, '--namespace', ns.fleet, '--inventory-namespace', ns.fleet,
      '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache'), '--recheck-interval', '2s', '--outbox-retry-interval', '1s', '--log-level', 'debug',
    ], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: work } });
    agent = child;
    child.stdout!.on('data', (c) => (agentLog += String(c)));
    child.stderr!.on('data', (c) => (agentLog += String(c)));
    agentUrl = await withLog(waitUntil(async () => /serving .* at (http:\/\/\S+)/.exec(agentLog)?.[1], { what: 'the agent serving', timeoutMs: 120_000, intervalMs: 200 }));
  }, 900_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent!.once('exit', r));
      agent.kill('SIGTERM');
      await exited;
    }
    for (const n of Object.values(ns)) if (n) await deleteTestNamespace(kubeconfigPath, n);
    await proxy?.close();
    await gitea?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('/healthz answers at once; /readyz once the Fleet watch listed', async () => {
    expect((await get('/healthz')).status).toBe(200);
    await withLog(waitUntil(async () => ((await get('/readyz')).status === 200 ? true : undefined), { what: '/readyz 200', timeoutMs: 60_000, intervalMs: 200 }));
  });

  it('a Fleet whose git URL carries userinfo is refused by the CRD (credentials belong in the secretRef Secret)', async () => {
    const spec = fleetSpec({ url: gitea.url, tokenSecret: 'forge' });
    const body = { apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'userinfo', namespace: ns.fleet }, spec: { ...spec, source: { url: `http://${gitea.user}:${gitea.token}@${giteaHostPort()}/${gitea.user}/${repo}.git` } } };
    const err = await admin.apply(body, { dryRun: false, force: true }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/put credentials in the secretRef Secret/);
    expect(err?.message).not.toContain(gitea.token);
  });

  it('applies staging from the private repository and posts statuses through the proxy; an Applied Event names the revision and the stage', async () => {
    await admin.apply({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'fleet', namespace: ns.fleet }, spec: fleetSpec({ url: `http://${proxy.address}`, tokenSecret: 'forge' }) }, { dryRun: false, force: true });
    await withLog(waitUntil(async () => ((await statuses(shas[0]!, 'drover/staging')).includes('pending') ? true : undefined), { what: 'drover/staging pending', timeoutMs: 180_000, intervalMs: 500 }));
    const events = await withLog(waitUntil(async () => {
      const list = await fleetEvents('fleet');
      return list.some((e) => e.reason === 'Applied') ? list : undefined;
    }, { what: 'an Applied Event', timeoutMs: 30_000, intervalMs: 500 }));
    // eu-1 was applied and no controller reports it: one pending cluster
    await withLog(waitUntil(async () => (sumSamples(await scrape(), 'drover_cluster_health', { fleet: `${ns.fleet}/fleet`, environment: 'staging', state: 'pending' }) === 1 ? true : undefined), { what: 'one pending cluster in drover_cluster_health', timeoutMs: 30_000, intervalMs: 500 }));
    const applied = events.find((e) => e.reason === 'Applied')!;
    expect(applied.type).toBe('Normal');
    expect(applied.note).toContain(`staging: applied main@sha1:${shas[0]}`);
    expect(applied.note).toContain('stage apply');
  });

  it('forge down: the statuses of a new commit wait in the outbox and the pump delivers them when it returns', async () => {
    await proxy.down();
    shas.push(await commitFiles(gitRoot, repo, files('two'), { message: 'two' }));
    await mirror();
    await withLog(waitUntil(async () => ((await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.staging, name: 'settings' }))?.data as { value?: string } | undefined)?.value === 'two' ? true : undefined, { what: 'staging at two', timeoutMs: 60_000, intervalMs: 500 }));
    const waiting = await withLog(waitUntil(async () => {
      const depth = sumSamples(await scrape(), 'drover_outbox_depth', { fleet: `${ns.fleet}/fleet` });
      return depth > 0 ? depth : undefined;
    }, { what: 'statuses waiting in the outbox', timeoutMs: 60_000, intervalMs: 500 }));
    expect(waiting).toBeGreaterThan(0);
    expect(await statuses(shas[1]!, 'drover/staging')).toEqual([]);
    const errors = sumSamples(await scrape(), 'drover_forge_requests_total', { forge: 'gitea', result: 'error' });
    expect(errors).toBeGreaterThan(0);
    await proxy.up();
    // Whatever state it says (the commit touched no cluster: health may be settled already), it arrives.
    await withLog(waitUntil(async () => ((await statuses(shas[1]!, 'drover/staging')).length > 0 ? true : undefined), { what: 'drover/staging delivered after the forge came back', timeoutMs: 90_000, intervalMs: 500 }));
    await withLog(waitUntil(async () => (sumSamples(await scrape(), 'drover_outbox_depth', { fleet: `${ns.fleet}/fleet` }) === 0 ? true : undefined), { what: 'the outbox empty', timeoutMs: 30_000, intervalMs: 500 }));
    expect(agentLog).toContain('queued commit statuses delivered');
  });

  it('a forge that refuses the token (401): statuses dropped after being recorded, never retried; the stuck Fleet does not post an Event per interval', async () => {
    await admin.apply({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'refused', namespace: ns.fleet }, spec: fleetSpec({ url: gitea.url, tokenSecret: 'forge-refused' }, 'other.yaml') }, { dryRun: false, force: true });
    const key = `${ns.fleet}/refused`;
    await withLog(waitUntil(async () => (sumSamples(await scrape(), 'drover_outbox_dropped_total', { fleet: key, reason: 'refused' }) > 0 ? true : undefined), { what: 'a refused status dropped', timeoutMs: 120_000, intervalMs: 500 }));
    const outbox = JSON.parse(await readFile(join(work, 'cache', 'outbox', `${ns.fleet}--refused.json`), 'utf8')) as { entries: unknown[]; dropped: Array<{ reason: string; error: string }> };
    expect(outbox.entries).toEqual([]);
    expect(outbox.dropped.some((d) => d.reason === 'refused' && /401/.test(d.error))).toBe(true);
    expect(sumSamples(await scrape(), 'drover_outbox_depth', { fleet: key })).toBe(0);
    // Once its environment has settled (ready: the statuses it cannot post change nothing there),
    // several intervals later: as many Event writes as before (a stuck Fleet is no news).
    await withLog(waitUntil(async () => {
      const fleets = JSON.parse((await get('/api/fleets')).text) as Array<{ key: string; environments: Array<{ name: string; phase: string }> }>;
      const phase = fleets.find((f) => f.key === key)?.environments.find((e) => e.name === 'other')?.phase;
      return phase && ['ready', 'stalled', 'failed'].includes(phase) ? true : undefined;
    }, { what: 'the refused Fleet settled', timeoutMs: 60_000, intervalMs: 500 }));
    await new Promise((r) => setTimeout(r, 3_000));
    const count = (list: EventObject[]) => list.reduce((n, e) => n + (e.series?.count ?? 1), 0);
    const before = count(await fleetEvents('refused'));
    await new Promise((r) => setTimeout(r, 10_000));
    expect(count(await fleetEvents('refused'))).toBe(before);
  });

  it('drift (a live object changed by hand) is counted when the Fleet is reconciled again', async () => {
    await admin.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.staging, name: 'settings' }, { data: { value: 'changed by hand' } });
    await admin.mergePatch({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns.fleet, name: 'fleet' }, { metadata: { annotations: { 'drover.dev/reconcile-at': new Date().toISOString() } } });
    await withLog(waitUntil(async () => (sumSamples(await scrape(), 'drover_drift_detected_total', { fleet: `${ns.fleet}/fleet`, environment: 'staging' }) > 0 ? true : undefined), { what: 'drift counted', timeoutMs: 60_000, intervalMs: 500 }));
    await withLog(waitUntil(async () => ((await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.staging, name: 'settings' }))?.data as { value?: string } | undefined)?.value === 'two' ? true : undefined, { what: 'the drift corrected', timeoutMs: 60_000, intervalMs: 500 }));
  });

  it('/metrics: a strict Prometheus parse, every metric of issue 9 present with sensible values', async () => {
    const res = await get('/metrics');
    expect(res.type).toContain('text/plain');
    const m = parsePromText(res.text);
    const fleet = `${ns.fleet}/fleet`;
    const has = (name: string, labels: Record<string, string> = {}) => findSamples(m, name, labels).length > 0;
    // reconcile duration histogram and result counter per fleet/environment/reason
    expect(m.get('drover_reconcile_duration_seconds')?.type).toBe('histogram');
    expect(sumSamples(m, 'drover_reconcile_duration_seconds_count', { fleet, environment: 'staging' })).toBeGreaterThanOrEqual(2);
    expect(sumSamples(m, 'drover_reconcile_duration_seconds_sum', { fleet, environment: 'staging' })).toBeGreaterThan(0);
    expect(sumSamples(m, 'drover_reconcile_total', { fleet, environment: 'staging' })).toBe(sumSamples(m, 'drover_reconcile_duration_seconds_count', { fleet, environment: 'staging' }));
    expect(has('drover_reconcile_total', { fleet, environment: 'staging', result: 'progressing', reason: 'Progressing' })).toBe(true);
    // objects applied / pruned / unchanged, drift
    expect(sumSamples(m, 'drover_apply_objects_total', { fleet, action: 'created' })).toBeGreaterThanOrEqual(2);
    expect(sumSamples(m, 'drover_apply_objects_total', { fleet, action: 'configured' })).toBeGreaterThanOrEqual(1);
    expect(m.get('drover_apply_objects_total')?.type).toBe('counter');
    expect(sumSamples(m, 'drover_drift_detected_total', { fleet })).toBeGreaterThanOrEqual(1);
    // cluster health per state: the clusters of the environment's state, one series per state
    // (after the drift run only the clusters that apply touched are counted: none here)
    const health = findSamples(m, 'drover_cluster_health', { fleet, environment: 'staging' });
    const fleets = JSON.parse((await get('/api/fleets')).text) as Array<{ key: string; environments: Array<{ name: string; clusters?: Record<string, number> }> }>;
    const counts = fleets.find((f) => f.key === fleet)!.environments.find((e) => e.name === 'staging')!.clusters!;
    expect(Object.fromEntries(health.map((s) => [s.labels.state, s.value]))).toEqual({ success: counts.success, pending: counts.pending, failure: counts.failure, error: counts.error });
    // git fetch duration and bytes
    expect(sumSamples(m, 'drover_git_fetch_duration_seconds_count', { fleet, operation: 'list-refs', result: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sumSamples(m, 'drover_git_fetch_bytes_total', { fleet, operation: 'fetch-pack' })).toBeGreaterThan(100);
    // forge requests by result, outbox depth
    expect(sumSamples(m, 'drover_forge_requests_total', { forge: 'gitea', result: '2xx' })).toBeGreaterThan(0);
    expect(sumSamples(m, 'drover_forge_requests_total', { forge: 'gitea', result: '4xx' })).toBeGreaterThan(0);
    expect(has('drover_outbox_depth', { fleet })).toBe(true);
    // webhook deliveries by result (none sent here: present at 0), leader status (no election: leads)
    expect(findSamples(m, 'drover_webhook_deliveries_total', { forge: 'gitea', result: 'accepted' })).toHaveLength(1);
    expect(sumSamples(m, 'drover_leader_election_leader')).toBe(1);
    // Kubernetes requests by verb
    for (const verb of ['list', 'watch', 'apply', 'dry-run', 'status', 'create']) expect(sumSamples(m, 'drover_kube_requests_total', { verb }), verb).toBeGreaterThan(0);
    // no revision, URL or credential in any label
    for (const f of m.values()) for (const s of f.samples) for (const v of Object.values(s.labels)) expect(v, `${s.name} ${JSON.stringify(s.labels)}`).not.toMatch(/sha1:|[0-9a-f]{40}|:\/\//);
  });

  it('no secret of the test in any log line, the metrics, the Fleet statuses, the Events or the outbox files', async () => {
    const lines = agentLog.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(20);
    // Every line is a JSON log record but the human lines saying where the agent (and its page) serve.
    const plain = lines.filter((l) => !l.startsWith('{'));
    expect(plain.filter((l) => !l.startsWith('drover agent'))).toEqual([]);
    const places: Array<[string, string]> = lines.map((l, i) => [`log line ${i + 1}`, l]);
    places.push(['/metrics', (await get('/metrics')).text]);
    places.push(['/api/fleets', (await get('/api/fleets')).text]);
    for (const name of ['fleet', 'refused']) {
      const f = await admin.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: ns.fleet, name });
      places.push([`Fleet ${name} status`, JSON.stringify(f?.status)]);
    }
    places.push(['Events', JSON.stringify((await admin.list('events.k8s.io/v1', 'Event', ns.fleet)).items)]);
    const outboxDir = join(work, 'cache', 'outbox');
    for (const file of await readdir(outboxDir)) places.push([`outbox ${file}`, await readFile(join(outboxDir, file), 'utf8')]);
    for (const [where, text] of places) for (const secret of secrets) expect(text.includes(secret), `${where} holds a secret: ${text.slice(0, 300)}`).toBe(false);
    // The URL's userinfo was there to be leaked: the logs name the repository without it.
    expect(agentLog).toContain(`${giteaHostPort()}/${gitea.user}/${repo}.git`);
  });
});
