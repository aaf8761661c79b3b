// `npm run demo`: Drover's main job, the agent. Starts a local management cluster (kube-apiserver
// + etcd + Cluster API CRDs + the Fleet CRD, built from Go modules on first use), serves
// fleet-example/ from a local git server, starts a real Gitea as the forge, creates a Fleet and
// runs `drover agent` — then only pushes commits and opens a pull request, never calls the CLI:
// the merge is applied by itself, the pull request gets its plan check, statuses land on Gitea.
// The real Cluster API controllers (core, kubeadm bootstrap and control plane, CAPD's in-memory
// provider) run too, so the `dev` environment's clusters really come up and its statuses turn
// green by themselves; staging and prod use the Packet provider, which does not run here.
// Flags: --keep leaves everything running (Ctrl-C stops it).
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { main } from '../../agent/cli/main.js';
import { createKubeClient } from '../../agent/kube/kube-client.js';
import { buildKustomization } from '../../agent/render/index.js';
import { loadDirectoryTree } from '../../agent/render/load-directory.js';
import { startCapiControllers, type CapiControllers } from './capi-controllers.js';
import { startControlPlane } from './control-plane.js';
import { prerequisitesFor, preparePrerequisites } from './build/binaries.js';
import { giteaBinary, startGitea } from './forge/gitea.js';
import { commitFiles, createRepo, repoPath, setRef } from './git-repo.js';
import { startGitServer } from './git-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLEET = join(ROOT, 'fleet-example');
const keep = process.argv.includes('--keep');
const run = promisify(execFile);

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full)] = await readFile(full, 'utf8');
  }
  return out;
}

const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
function step(title: string): void {
  process.stdout.write(`\n${bold(`== ${title}`)}\n`);
}
function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

step('building what the demo runs, once: etcd, kube-apiserver, the Cluster API CRDs, Gitea and the Cluster API controllers (from their Go modules; cached in .cache/)');
const needed = [...prerequisitesFor('integration'), ...prerequisitesFor('e2e-capi')];
await preparePrerequisites(needed.filter((p, i) => needed.findIndex((q) => q.name === p.name) === i));
step('starting a local management cluster: etcd + kube-apiserver + Cluster API CRDs + the Fleet CRD');
const plane = await startControlPlane();
const work = await mkdtemp(join(tmpdir(), 'drover-demo-'));
const gitRoot = join(work, 'git');
const git = await startGitServer({ root: gitRoot });
step('starting Gitea, the forge');
const gitea = await startGitea(giteaBinary());
const stop = new AbortController();
let agentDone: Promise<number> | undefined;
let capi: CapiControllers | undefined;
const stopAll = async () => {
  stop.abort();
  await agentDone;
  await capi?.stop();
  await gitea.stop();
  await git.stop();
  await plane.stop();
  await rm(work, { recursive: true, force: true });
};

let failed = false;
try {
  const v = plane.versions;
  say(`kube-apiserver ${v.kubeApiserver} at ${plane.server}, etcd ${v.etcd}, cluster-api ${v.capi} CRDs; Gitea ${gitea.version} at ${gitea.url}`);
  const kubeconfig = join(work, 'kubeconfig');
  await writeFile(kubeconfig, plane.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const client = createKubeClient(kc, { fieldManager: 'demo' });

  step('starting the Cluster API controllers: core, kubeadm bootstrap, kubeadm control plane, CAPD (in-memory machines), kube-controller-manager');
  capi = await startCapiControllers({ kubeconfigPath: plane.kubeconfigPath, dir: join(work, 'capi') });
  say(`cluster-api ${capi.capiVersion} managers ready in ${(capi.timings.startToReadyMs / 1000).toFixed(1)} s`);

  step('installing manifests/ (what kubectl apply -k manifests/ does): namespace, RBAC, Fleet CRD, the agent Deployment');
  for (const obj of buildKustomization(loadDirectoryTree(join(ROOT, 'manifests')), '')) await client.apply(obj, { dryRun: false, force: true });
  say(dim('(no kubelet runs here, so the Deployment stays unscheduled: this demo runs `drover agent` in its own process instead)'));

  step('the fleet repository: fleet-example/ on a local git server, mirrored to Gitea for statuses and pull requests');
  const files = await readTree(FLEET);
  const first = await createRepo(gitRoot, 'fleet', files, { message: 'fleet: staging and prod' });
  await gitea.api('POST', '/user/repos', { name: 'fleet', auto_init: false, default_branch: 'main' });
  const auth = `Authorization: Basic ${Buffer.from(`${gitea.user}:${gitea.token}`).toString('base64')}`;
  const toGitea = (ref: string) => run('git', ['-c', `http.extraHeader=${auth}`, 'push', '--quiet', '--force', `${gitea.url}/${gitea.user}/fleet.git`, `${ref}:${ref}`], { cwd: repoPath(gitRoot, 'fleet') });
  await toGitea('refs/heads/main');
  const repoUrl = `${git.url}/fleet.git`;
  say(`${repoUrl} main@sha1:${first} (${Object.keys(files).length} files)`);

  step('creating the Fleet: poll every 5s, report to Gitea, check pull requests');
  await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fleet-forge', namespace: 'drover-system' }, stringData: { token: gitea.token } }, { dryRun: false, force: true });
  const fleet = {
    apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'example', namespace: 'drover-system' },
    spec: { source: { url: repoUrl, ref: 'main' }, interval: '5s', forge: { kind: 'gitea', url: gitea.url, repository: `${gitea.user}/fleet`, tokenSecretRef: { name: 'fleet-forge' } }, pullRequests: { enabled: true } },
  };
  await client.apply(fleet, { dryRun: false, force: true });
  say(dim('$ kubectl apply -f fleet.yaml   # Fleet/drover-system/example'));

  step('starting `drover agent` (its JSON log goes to agent.log)');
  const logPath = join(work, 'agent.log');
  const logStream = createWriteStream(logPath);
  agentDone = main(['agent', '--kubeconfig', kubeconfig, '--namespace', 'drover-system', '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache'), '--recheck-interval', '5s'], {
    stdout: process.stdout, stderr: process.stdout, logStream, env: {}, cwd: ROOT, signal: stop.signal,
  });
  type EnvStatus = { name: string; lastAppliedRevision?: string; conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
  const fleetStatus = async () => ((await client.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: 'drover-system', name: 'example' }))?.status ?? {}) as { readyEnvironments?: string; lastAppliedRevision?: string; environments?: EnvStatus[] };
  const env = async (name: string) => (await fleetStatus()).environments?.find((e) => e.name === name);
  const printFleet = async () => {
    const s = await fleetStatus();
    say(dim('$ kubectl get fleets -n drover-system'));
    say(`NAME      ${'REPOSITORY'.padEnd(repoUrl.length)} ${'REVISION'.padEnd(27)} READY\nexample   ${repoUrl} ${(s.lastAppliedRevision ?? '').slice(0, 27).padEnd(27)} ${s.readyEnvironments ?? ''}`);
    for (const e of s.environments ?? []) {
      const ready = e.conditions?.find((c) => c.type === 'Ready');
      say(`  ${e.name.padEnd(8)} ${(ready?.status ?? '?').padEnd(7)} ${(ready?.reason ?? '').padEnd(20)} ${ready?.message ?? ''}`);
    }
  };
  const statuses = async (sha: string) => {
    const all = await gitea.api<Array<{ context: string; status: string; description: string }>>('GET', `/repos/${gitea.user}/fleet/statuses/${sha}?limit=50`);
    const latest = new Map<string, { status: string; description: string }>();
    for (const s of all.reverse()) latest.set(s.context, s);
    return latest;
  };
  const printStatuses = async (sha: string) => {
    for (const [context, s] of await statuses(sha)) say(`  ${s.status.padEnd(8)} ${context.padEnd(34)} ${s.description}`);
    say(`  open in a browser: ${gitea.url}/${gitea.user}/fleet/commit/${sha}`);
  };

  step('moment 1: the agent applies staging by itself');
  await waitFor('staging applied at the first commit', async () => ((await env('staging'))?.lastAppliedRevision === `main@sha1:${first}` ? true : undefined), 180_000);
  await printFleet();
  say('commit statuses on Gitea:');
  await waitFor('statuses on Gitea', async () => ((await statuses(first)).size ? true : undefined), 30_000);
  await printStatuses(first);

  step('moment 2: a pull request resizes pool ams-stg-1-md-0 from 2 to 3 machines');
  const poolFile = 'clusters/staging/ams-stg-1/pool-md-0.yaml';
  const resized = files[poolFile]!.replace(/replicas: 2\b/, 'replicas: 3');
  if (resized === files[poolFile]) throw new Error(`${poolFile}: expected "replicas: 2"`);
  const head = await commitFiles(gitRoot, 'fleet', { [poolFile]: resized }, { message: 'staging: ams-stg-1 md-0 to 3 machines', branch: 'resize-md-0' });
  await toGitea('refs/heads/resize-md-0');
  const pr = await gitea.api<{ number: number; html_url: string }>('POST', `/repos/${gitea.user}/fleet/pulls`, { title: 'staging: ams-stg-1 md-0 to 3 machines', head: 'resize-md-0', base: 'main' });
  // The agent reads a pull request's head as refs/pull/N/head from the Fleet's repository, as a
  // forge serves it; the local git server mirrors Gitea's ref.
  await setRef(gitRoot, 'fleet', `refs/pull/${pr.number}/head`, head);
  say(`opened ${pr.html_url}`);
  const check = await waitFor('the plan check', async () => (await statuses(head)).get('drover/plan/staging'), 60_000).catch(() => undefined);
  if (check) {
    say(`plan check: ${check.status} ${check.description}`);
    const comments = await gitea.api<Array<{ body: string }>>('GET', `/repos/${gitea.user}/fleet/issues/${pr.number}/comments`);
    const sticky = comments.find((c) => c.body.includes('drover:plan:staging'));
    if (sticky) say(dim(sticky.body.split('\n').slice(0, 12).join('\n')));
  } else {
    say(dim('(no plan check yet: pull request polling is not in this build of the agent)'));
  }

  step('moment 3: the pull request merges to main; the agent applies it within one interval');
  await setRef(gitRoot, 'fleet', 'refs/heads/main', head);
  await toGitea('refs/heads/main');
  const t0 = Date.now();
  await waitFor('staging applied at the merge', async () => ((await env('staging'))?.lastAppliedRevision === `main@sha1:${head}` ? true : undefined), 120_000);
  say(`applied ${((Date.now() - t0) / 1000).toFixed(1)} s after the push, without any CLI call`);
  await printFleet();
  say('commit statuses on Gitea:');
  await printStatuses(head);
  say(`\nstaging stays pending here: its clusters use the Packet provider, which does not run in this local
cluster, so they never report Available, and prod (after: staging) waits for staging to be healthy.`);

  step('moment 4: the dev environment (in-memory machines) comes up; its statuses turn green by themselves');
  // dev is applied at each revision the agent takes (it is in no promotion chain): follow the latest.
  const devSha = async () => (await env('dev'))?.lastAppliedRevision?.replace(/^main@sha1:/, '');
  let devAt = await waitFor('dev applied', devSha, 120_000);
  const t1 = Date.now();
  const devGreen = await waitFor('drover/dev success on Gitea', async () => {
    devAt = (await devSha()) ?? devAt;
    return (await statuses(devAt)).get('drover/dev')?.status === 'success' ? true : undefined;
  }, 600_000).catch(() => false);
  say(devGreen ? `drover/dev turned success ${((Date.now() - t1) / 1000).toFixed(0)} s later, with nobody writing status:` : 'drover/dev did not turn green within 10 minutes:');
  await printStatuses(devAt);
  if (!devGreen) throw new Error('the dev clusters did not become Available (see the controllers\' logs under --keep)');

  if (keep) {
    say(`\nEverything keeps running; Ctrl-C stops it.\n  export KUBECONFIG=${kubeconfig}\n  Gitea: ${gitea.url} (user ${gitea.user})\n  agent log: ${logPath}\n  bin/drover reconcile fleet example -n drover-system`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  say(`\ndemo finished: the agent applied staging${check ? ', checked the pull request' : ''}, applied the merge by itself, and dev's clusters came up green`);
} catch (e) {
  failed = true;
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
