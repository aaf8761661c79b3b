// Issue 5's user-facing loop through the CLI entry `main()`, in-process, against the real
// control plane (kube-apiserver + etcd + CAPI CRDs) and a real Gitea 1.26 that hosts the fleet
// repository itself: Drover clones from Gitea over smart HTTP and posts commit statuses and the
// sticky plan comment to the same commits and pull requests. CAPI-like status is written onto
// the applied objects through the status subresource, as CAPI's controllers would. Time is a
// logical clock passed to main() (io.now), never the wall clock.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../agent/cli/main.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { clusterV1beta2, counters, kcpV1beta2, mdV1beta2, packetMachine, provisioningConditions } from '../support/capi-shapes.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { commitFiles, createRepo, repoPath } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { fleetFiles as e2eFleetFiles } from '../support/e2e-fleet.js';

const run = promisify(execFile);
const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');

let gitea: GiteaInstance;
let work: string;
let api: CustomObjectsApi;
const namespaces: string[] = [];

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  api = kc.makeApiClient(CustomObjectsApi);
  work = await mkdtemp(join(tmpdir(), 'drover-cli-report-'));
  gitea = await startGitea(giteaBinary());
}, 180_000);
afterAll(async () => {
  await gitea?.stop();
  for (const ns of namespaces) await deleteTestNamespace(kubeconfigPath, ns);
  if (work) await rm(work, { recursive: true, force: true });
});

async function namespace(prefix: string): Promise<string> {
  const ns = await createTestNamespace(kubeconfigPath, prefix);
  namespaces.push(ns);
  return ns;
}

// --- the fleet repository, built locally and pushed to Gitea -------------------------------

interface EnvSpec {
  name: string;
  namespace: string;
  clusters: { name: string; workerReplicas?: number }[];
  after?: string;
  provisioningTimeout?: string;
}

/** drover.yaml plus one file per cluster (test/support/e2e-fleet.ts), clusters made by clusterObjects. */
function fleetFiles(envs: EnvSpec[]): Record<string, string> {
  return e2eFleetFiles(
    envs.map((e) => ({ ...e, clusters: Object.fromEntries(e.clusters.map((c) => [c.name, clusterObjects(e.namespace, c.name, { workerReplicas: c.workerReplicas ?? 3 })])) })),
  );
}

const basicAuth = () => `Authorization: Basic ${Buffer.from(`drover:${gitea.token}`).toString('base64')}`;
const repoUrl = (name: string) => `${gitea.url}/drover/${name}.git`;

async function git(args: string[], cwd = work): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
  return (await run('git', ['-c', `http.extraHeader=${basicAuth()}`, ...args], { cwd, env })).stdout;
}

/** A private Gitea repository holding `files` on main, pushed from a local repository; resolves with the commit. */
async function hostFleet(name: string, files: Record<string, string>): Promise<string> {
  await gitea.api('POST', '/user/repos', { name, private: true, auto_init: false, default_branch: 'main' });
  const sha = await createRepo(work, name, files, { message: 'fleet' });
  await git(['push', '--quiet', repoUrl(name), 'refs/heads/main:refs/heads/main'], repoPath(work, name));
  return sha;
}

/** Commits on a branch of the local repository and pushes it to Gitea. */
async function push(name: string, files: Record<string, string>, opts: { message: string; branch?: string; remove?: string[] }): Promise<string> {
  const branch = opts.branch ?? 'main';
  const sha = await commitFiles(work, name, files, { message: opts.message, branch, from: 'main', ...(opts.remove ? { remove: opts.remove } : {}) });
  await git(['push', '--quiet', repoUrl(name), `refs/heads/${branch}:refs/heads/${branch}`], repoPath(work, name));
  return sha;
}

/** Gitea moves refs/pull/N/head in a background queue after a push: wait until it names `sha`. */
async function waitForPullHead(name: string, pr: number, sha: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const out = await git(['ls-remote', repoUrl(name), `refs/pull/${pr}/head`]);
    if (out.startsWith(sha)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`refs/pull/${pr}/head of ${name} never reached ${sha}`);
}

interface GiteaStatus {
  id: number;
  status: string;
  context: string;
  description: string;
}
/** Every status Gitea holds for a context on a commit, oldest first. */
async function history(repo: string, sha: string, context: string): Promise<{ state: string; description: string }[]> {
  const all = await gitea.api<GiteaStatus[]>('GET', `/repos/drover/${repo}/statuses/${sha}?limit=50`);
  return all.filter((s) => s.context === context).sort((a, b) => a.id - b.id).map((s) => ({ state: s.status, description: s.description }));
}
const states = async (repo: string, sha: string, context: string) => (await history(repo, sha, context)).map((s) => s.state);

// --- the CLI, in-process ------------------------------------------------------------------

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(cacheDir: string, clock: { t: number }) {
  return async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const logStream = new Writable({ write: (_c, _e, cb) => cb() });
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      logStream,
      env: { GITEA_TOKEN: gitea.token, REVOKED_TOKEN: '0'.repeat(40), HOME: work, PATH: process.env.PATH },
      cwd: work,
      now: () => clock.t,
    });
    return { code, stdout, stderr };
  };
}

const common = (repo: string, cacheDir: string) => ['--repo', repoUrl(repo), '--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, '--token-env', 'GITEA_TOKEN', '--forge', 'gitea'];

// --- CAPI's side: status through the status subresource ----------------------------------

const PLURAL: Record<string, string> = { Cluster: 'clusters', KubeadmControlPlane: 'kubeadmcontrolplanes', MachineDeployment: 'machinedeployments', PacketMachine: 'packetmachines' };
const coords = (ns: string, apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.split('/') as [string, string];
  return { group, version, namespace: ns, plural: PLURAL[kind]! };
};

async function read(ns: string, apiVersion: string, kind: string, name: string): Promise<KubeObject> {
  return (await api.getNamespacedCustomObject({ ...coords(ns, apiVersion, kind), name })) as KubeObject;
}

async function writeStatus(ns: string, apiVersion: string, kind: string, name: string, status: (generation: number) => unknown): Promise<void> {
  const live = await read(ns, apiVersion, kind, name);
  await api.replaceNamespacedCustomObjectStatus({ ...coords(ns, apiVersion, kind), name, body: { ...live, status: status(live.metadata.generation!) }, fieldValidation: 'Strict' });
}

/** What CAPI reports once a cluster of clusterObjects() (cp 3, one pool) is provisioned and idle. */
async function reportAvailable(ns: string, cluster: string, workers = 3): Promise<void> {
  await writeStatus(ns, 'controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', `${cluster}-cp`, (g) => kcpV1beta2({ cluster, generation: g }).status);
  await writeStatus(ns, 'cluster.x-k8s.io/v1beta2', 'MachineDeployment', `${cluster}-md-0`, (g) => mdV1beta2({ cluster, replicas: workers, generation: g }).status);
  await writeStatus(ns, 'cluster.x-k8s.io/v1beta2', 'Cluster', cluster, (g) => clusterV1beta2({ name: cluster, generation: g, workers: counters(workers) }).status);
}

async function clusterExists(ns: string, name: string): Promise<boolean> {
  return read(ns, 'cluster.x-k8s.io/v1beta2', 'Cluster', name).then(() => true, () => false);
}

// --- the flows ------------------------------------------------------------------------------

describe('drover status --report: a commit on Gitea follows the health of its revision', () => {
  const repo = `fleet-status-${id}`;
  const env = `stg-${id}`;
  const clock = { t: Date.parse('2026-11-25T08:00:00Z') };
  let ns: string;
  let cacheDir: string;
  let drover: ReturnType<typeof cli>;
  let first: string;
  let second: string;

  beforeAll(async () => {
    ns = await namespace('cli-status');
    cacheDir = await mkdtemp(join(work, 'cache-'));
    drover = cli(cacheDir, clock);
    first = await hostFleet(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1' }], provisioningTimeout: '2m' }]));
  });

  it('goes pending when apply writes the revision and success once CAPI reports the applied generations', async () => {
    const applied = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(applied.stderr).toContain(`drover: reported ${env} to gitea:${gitea.url}/drover/${repo}@${first.slice(0, 12)}: 2 posted, 0 unchanged`);
    expect(applied.code).toBe(0);
    expect(await history(repo, first, `drover/${env}`)).toEqual([{ state: 'pending', description: `${env}: applied 7 created; 0/1 clusters healthy at this revision; pending: eu-1` }]);
    expect(await history(repo, first, `drover/${env}/eu-1`)).toEqual([{ state: 'pending', description: expect.stringMatching(new RegExp(`^${env}/eu-1: Reconciling \\(Cluster eu-1 generation 1 not yet observed; `)) }]);

    clock.t += 60_000;
    const before = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(before.code).toBe(3);
    expect(before.stdout).toContain(`pending  ${env}/eu-1: Reconciling (Cluster eu-1 generation 1 not yet observed;`);
    expect(before.stdout).toContain(`${env} at main@sha1:${first}: pending (live): ${env}: applied 7 created; 0/1 clusters healthy at this revision; pending: eu-1`);
    expect(before.stderr).toContain('0 posted, 2 unchanged');

    await reportAvailable(ns, 'eu-1');
    clock.t += 60_000;
    // the forge refuses the token for good (401): the statuses are recorded as dropped, not retried forever
    const refused = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report', '--forge-token-env', 'REVOKED_TOKEN');
    expect(refused.code).toBe(0);
    expect(refused.stderr).toMatch(new RegExp(`0 posted, 0 unchanged, 2 refused by the forge and dropped \\(gitea drover/${repo}@${first} read statuses: HTTP 401`));
    expect(refused.stderr).not.toContain('0'.repeat(40));
    expect(await states(repo, first, `drover/${env}`)).toEqual(['pending']);
    // the next run, with a good token, posts the health it computes again
    const after = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(after.stderr).toContain('2 posted, 0 unchanged');
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(
      `STATE    CLUSTER HEALTH\nsuccess  ${env}/eu-1: Available, cp 3/3, workers 3/3, v1.33.2\n\n` +
        `${env} at main@sha1:${first}: success (live): ${env}: applied 7 created; 1/1 clusters healthy at this revision\n`,
    );
    expect(await states(repo, first, `drover/${env}`)).toEqual(['pending', 'success']);
    expect(await history(repo, first, `drover/${env}/eu-1`)).toEqual([
      { state: 'pending', description: expect.stringContaining('Reconciling') },
      { state: 'success', description: `${env}/eu-1: Available, cp 3/3, workers 3/3, v1.33.2` },
    ]);

    const json = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ environment: env, phase: 'live', state: 'success', clusters: [{ name: 'eu-1', state: 'success' }], lastApply: { revision: `main@sha1:${first}`, changes: { created: 7 } } });
  });

  it('turns failure when a new cluster stays provisioning past the environment\'s provisioning timeout', async () => {
    second = await push(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1' }, { name: 'eu-2' }], provisioningTimeout: '2m' }]), { message: 'add eu-2' });
    clock.t += 60_000;
    const applied = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(applied.code).toBe(0);
    expect(await history(repo, second, `drover/${env}`)).toEqual([{ state: 'pending', description: `${env}: applied 7 created; 1/2 clusters healthy at this revision; pending: eu-2` }]);
    expect(await states(repo, second, `drover/${env}/eu-1`)).toEqual(['success']);

    // CAPI observes eu-2 and starts provisioning its infrastructure
    await writeStatus(ns, 'cluster.x-k8s.io/v1beta2', 'Cluster', 'eu-2', (g) => clusterV1beta2({ name: 'eu-2', generation: g, conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), workers: counters(3, 0, 0, 0), phase: 'Provisioning' }).status);
    await writeStatus(ns, 'controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', 'eu-2-cp', (g) => kcpV1beta2({ cluster: 'eu-2', generation: g, counters: { replicas: 0, readyReplicas: 0, availableReplicas: 0, upToDateReplicas: 0 } }).status);
    await writeStatus(ns, 'cluster.x-k8s.io/v1beta2', 'MachineDeployment', 'eu-2-md-0', (g) => mdV1beta2({ cluster: 'eu-2', replicas: 3, generation: g, counters: { replicas: 0, readyReplicas: 0, availableReplicas: 0, upToDateReplicas: 0 } }).status);
    // CAPP creates the first control plane device (not declared in Git; health finds it by its cluster label)
    const device = packetMachine({ name: 'eu-2-cp-a1b2c', cluster: 'eu-2', instanceStatus: 'provisioning' });
    const { status: deviceStatus, ...deviceBody } = device;
    await api.createNamespacedCustomObject({ ...coords(ns, device.apiVersion, device.kind), body: { ...deviceBody, metadata: { ...device.metadata, namespace: ns } } });
    await writeStatus(ns, device.apiVersion, device.kind, device.metadata.name!, () => deviceStatus);
    clock.t += 30_000;
    const early = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(early.code).toBe(3);
    expect(early.stdout).toContain(`pending  ${env}/eu-2: Provisioning (InfrastructureReady), cp 0/3, workers 0/3`);
    expect(early.stdout).toContain('PacketMachines 1 provisioning');

    clock.t += 120_000; // past the 2m provisioning timeout since the apply
    const late = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(`failure  ${env}/eu-2: Timed out after 2m: Provisioning (InfrastructureReady), cp 0/3, workers 0/3`);
    expect(await states(repo, second, `drover/${env}`)).toEqual(['pending', 'failure']);
    expect(await history(repo, second, `drover/${env}`).then((h) => h.at(-1)!.description)).toBe(`${env}: applied 7 created; 1/2 clusters healthy at this revision; failure: eu-2`);
    expect(await states(repo, second, `drover/${env}/eu-2`)).toEqual(['pending', 'pending', 'failure']);
    expect(await states(repo, second, `drover/${env}/eu-1`)).toEqual(['success']);
  });

  it('says a revision that is no longer live is not applied, naming what is', async () => {
    // main moves on: eu-1's pool grows; the first commit is now an older revision
    const third = await push(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1', workerReplicas: 4 }, { name: 'eu-2' }], provisioningTimeout: '2m' }]), { message: 'eu-1 md-0 to 4' });
    const notYet = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env);
    expect(notYet.code).toBe(3);
    expect(notYet.stdout).toBe(`${env} at main@sha1:${third}: pending (not-applied): ${env}: not applied (1 to update); live is main@sha1:${second.slice(0, 7)}\n`);
  });
});

describe('drover apply --report: a revision that cannot be applied', () => {
  const repo = `fleet-broken-${id}`;
  const env = `brk-${id}`;
  const clock = { t: Date.parse('2026-11-25T11:00:00Z') };
  let ns: string;
  let cacheDir: string;
  let drover: ReturnType<typeof cli>;

  beforeAll(async () => {
    ns = await namespace('cli-broken');
    cacheDir = await mkdtemp(join(work, 'cache-'));
    drover = cli(cacheDir, clock);
    await hostFleet(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1' }] }]));
    expect((await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env)).code).toBe(0);
  });

  it('is error naming the stage when it does not render, the same from apply and from status', async () => {
    const sha = await push(repo, { [`environments/${env}/kustomization.yaml`]: stringify({ resources: ['eu-1.yaml', 'eu-9.yaml'] }) }, { message: 'add eu-9 (forgot the file)' });
    const applied = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(applied.code).toBe(1);
    const [posted] = await history(repo, sha, `drover/${env}`);
    expect(posted).toEqual({ state: 'error', description: `${env}: RenderFailed: environments/${env}/kustomization.yaml:3:5 resources[1]: "environments/${env}/eu-9.yaml" does not exist` });
    const status = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('0 posted, 1 unchanged');
  });

  it('is failure naming the finding when the apiserver would reject an object, and nothing is written', async () => {
    const bad = clusterObjects(ns, 'eu-1').map((o) => (o.kind === 'MachineDeployment' ? { ...o, spec: { ...(o.spec as object), replicaz: 4 } } : o));
    const sha = await push(repo, { [`environments/${env}/kustomization.yaml`]: stringify({ resources: ['eu-1.yaml'] }), [`environments/${env}/eu-1.yaml`]: bad.map((o) => stringify(o)).join('---\n') }, { message: 'typo in a field name' });
    const applied = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(applied.code).toBe(2);
    const [posted] = await history(repo, sha, `drover/${env}`);
    expect(posted!.state).toBe('failure');
    expect(posted!.description).toMatch(new RegExp(`^${env}: blocked: dry-run-failed: MachineDeployment/${ns}/eu-1-md-0 .*replicaz`));
    const status = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', env, '--report');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('0 posted, 1 unchanged');
    const md = await read(ns, 'cluster.x-k8s.io/v1beta2', 'MachineDeployment', 'eu-1-md-0');
    expect(md.spec).not.toHaveProperty('replicaz');
  });
});

describe('drover plan --pr N --report: the plan check on a Gitea pull request', () => {
  const repo = `fleet-pr-${id}`;
  const env = `pr-${id}`;
  const clock = { t: Date.parse('2026-11-25T09:00:00Z') };
  let ns: string;
  let cacheDir: string;
  let drover: ReturnType<typeof cli>;

  beforeAll(async () => {
    ns = await namespace('cli-pr');
    cacheDir = await mkdtemp(join(work, 'cache-'));
    drover = cli(cacheDir, clock);
    await hostFleet(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1' }] }]));
    expect((await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', env)).code).toBe(0);
  });

  const comments = (pr: number) => gitea.api<{ id: number; body: string }[]>('GET', `/repos/drover/${repo}/issues/${pr}/comments`);

  it('posts drover/plan/<env> on the head and keeps one plan comment, edited in place on each push', async () => {
    const head1 = await push(repo, fleetFiles([{ name: env, namespace: ns, clusters: [{ name: 'eu-1', workerReplicas: 5 }, { name: 'eu-2' }] }]), { message: 'grow: eu-1 md-0 to 5, add eu-2', branch: 'grow' });
    const pr = (await gitea.api<{ number: number }>('POST', `/repos/drover/${repo}/pulls`, { head: 'grow', base: 'main', title: 'Grow the fleet' })).number;
    await waitForPullHead(repo, pr, head1);

    const planned = await drover('plan', ...common(repo, cacheDir), '--pr', String(pr), '--env', env, '--report');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(`plan for environment ${env} at refs/pull/${pr}/head@sha1:${head1}`);
    expect(planned.stderr).toContain(`drover: plan comment for ${env} on #${pr} created`);
    expect(await history(repo, head1, `drover/plan/${env}`)).toEqual([{ state: 'success', description: '+1 cluster, 1 pool resized, 0 deleted' }]);
    const [comment] = await comments(pr);
    expect(comment!.body).toMatch(new RegExp(`^<!-- drover:plan:${env} -->\n### Drover plan for \`${env}\` at \`refs/pull/${pr}/head@sha1:${head1}\``));
    expect(comment!.body).toContain(`resize eu-1-md-0 | 3 → 5`);

    // the same head again: nothing new on the forge
    const again = await drover('plan', ...common(repo, cacheDir), '--pr', String(pr), '--env', env, '--report');
    expect(again.stderr).toContain('0 posted, 1 unchanged');
    expect(again.stderr).toContain(`plan comment for ${env} on #${pr} unchanged`);

    // a push that removes eu-1 without a tombstone: the check fails, naming the finding
    const head2 = await push(repo, { [`environments/${env}/kustomization.yaml`]: stringify({ resources: ['eu-2.yaml'] }) }, { message: 'drop eu-1', branch: 'grow', remove: [`environments/${env}/eu-1.yaml`] });
    await waitForPullHead(repo, pr, head2);
    const blocked = await drover('plan', ...common(repo, cacheDir), '--pr', String(pr), '--env', env, '--report');
    expect(blocked.code).toBe(2);
    const [status] = await history(repo, head2, `drover/plan/${env}`);
    expect(status!.state).toBe('failure');
    expect(status!.description).toMatch(new RegExp(`^blocked: cluster-removed-without-tombstone: Cluster/${ns}/eu-1 was removed from git`));
    expect(blocked.stderr).toContain(`plan comment for ${env} on #${pr} updated`);
    const afterBlock = await comments(pr);
    expect(afterBlock).toHaveLength(1);
    expect(afterBlock[0]!.id).toBe(comment!.id);
    expect(afterBlock[0]!.body).toContain('> **Blocked:**');
    expect(afterBlock[0]!.body).toContain(`refs/pull/${pr}/head@sha1:${head2}`);

    // a push that does not render: error, and the comment says why
    const head3 = await push(repo, { [`environments/${env}/kustomization.yaml`]: stringify({ resources: ['eu-2.yaml', 'missing.yaml'] }) }, { message: 'typo', branch: 'grow' });
    await waitForPullHead(repo, pr, head3);
    const broken = await drover('plan', ...common(repo, cacheDir), '--pr', String(pr), '--env', env, '--report');
    expect(broken.code).toBe(1);
    const [errored] = await history(repo, head3, `drover/plan/${env}`);
    expect(errored).toMatchObject({ state: 'error', description: expect.stringMatching(/^plan failed: RenderFailed: .*missing\.yaml/) });
    const afterError = await comments(pr);
    expect(afterError.map((c) => c.id)).toEqual([comment!.id]);
    expect(afterError[0]!.body).toContain('> **Plan failed** (RenderFailed)');
    // the earlier heads keep their own statuses
    expect(await states(repo, head1, `drover/plan/${env}`)).toEqual(['success']);
  });
});

describe('promotion gate: an environment with `after:` applies only once its upstream is healthy at the same revision', () => {
  const repo = `fleet-gate-${id}`;
  const stg = `stg-g-${id}`;
  const prd = `prd-g-${id}`;
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  let stgNs: string;
  let prdNs: string;
  let cacheDir: string;
  let drover: ReturnType<typeof cli>;
  let sha: string;

  beforeAll(async () => {
    stgNs = await namespace('cli-gate-stg');
    prdNs = await namespace('cli-gate-prd');
    cacheDir = await mkdtemp(join(work, 'cache-'));
    drover = cli(cacheDir, clock);
    sha = await hostFleet(repo, fleetFiles([
      { name: stg, namespace: stgNs, clusters: [{ name: 'eu-1' }] },
      { name: prd, namespace: prdNs, clusters: [{ name: 'eu-1' }], after: stg },
    ]));
  });

  it('waits (exit 3, nothing written, drover/<env> pending) until staging is healthy, then applies', async () => {
    const short = `main@sha1:${sha.slice(0, 7)}`;
    const early = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', prd, '--report');
    expect(early.code).toBe(3);
    expect(early.stdout).toBe(`${prd}: waiting for ${stg} (nothing applied yet)\nnothing was written to ${prd}\n`);
    expect(await clusterExists(prdNs, 'eu-1')).toBe(false);

    expect((await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', stg, '--report')).code).toBe(0);
    clock.t += 60_000;
    const waiting = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', prd, '--report');
    expect(waiting.code).toBe(3);
    expect(waiting.stdout).toContain(`${prd}: waiting for ${stg} (pending at ${short})`);
    expect(await clusterExists(prdNs, 'eu-1')).toBe(false);
    const status = await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', prd);
    expect(status.code).toBe(3);
    expect(status.stdout).toBe(`${prd} at main@sha1:${sha}: pending (waiting): ${prd}: waiting for ${stg} (pending at ${short})\n  waiting for ${stg}: pending at ${short}\n`);

    await reportAvailable(stgNs, 'eu-1');
    clock.t += 60_000;
    expect((await drover('status', ...common(repo, cacheDir), '--ref', 'main', '--env', stg, '--report')).code).toBe(0);
    const promoted = await drover('apply', ...common(repo, cacheDir), '--ref', 'main', '--env', prd, '--report');
    expect(promoted.code).toBe(0);
    expect(await clusterExists(prdNs, 'eu-1')).toBe(true);

    expect(await history(repo, sha, `drover/${prd}`)).toEqual([
      { state: 'pending', description: `${prd}: waiting for ${stg} (nothing applied yet)` },
      { state: 'pending', description: `${prd}: waiting for ${stg} (pending at ${short})` },
      { state: 'pending', description: `${prd}: applied 7 created; 0/1 clusters healthy at this revision; pending: eu-1` },
    ]);
    expect(await states(repo, sha, `drover/${stg}`)).toEqual(['pending', 'success']);
  });
});
