// `npm run demo`: Drover's main job on its embedded default. Starts a local management cluster
// (kube-apiserver + etcd + Cluster API CRDs, built from Go modules on first use), serves
// fleet-example/ from a local git server, plans and applies staging through the real CLI, then
// walks a pull request that resizes a pool: its plan, the merge, and the apply.
// Flags: --keep leaves the cluster and git server running (Ctrl-C stops them).
import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../agent/cli/main.js';
import { startControlPlane } from './control-plane.js';
import { commitFiles, createRepo, setRef } from './git-repo.js';
import { startGitServer } from './git-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLEET = join(ROOT, 'fleet-example');
const keep = process.argv.includes('--keep');

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full)] = await readFile(full, 'utf8');
  }
  return out;
}

function step(title: string): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
}

async function drover(args: string[], env: Record<string, string>): Promise<number> {
  process.stdout.write(`\x1b[2m$ drover ${args.join(' ')}\x1b[0m\n`);
  const code = await main(args, { stdout: process.stdout, stderr: process.stderr, logStream: process.stderr, env: { ...process.env, ...env }, cwd: ROOT });
  process.stdout.write(`\x1b[2m(exit ${code})\x1b[0m\n`);
  return code;
}

const plane = await (async () => {
  step('starting a local management cluster: etcd + kube-apiserver + Cluster API CRDs (first run builds them from Go modules)');
  return startControlPlane();
})();
const gitRoot = await mkdtemp(join(tmpdir(), 'drover-demo-git-'));
const git = await startGitServer({ root: gitRoot });
const cacheDir = await mkdtemp(join(tmpdir(), 'drover-demo-cache-'));
const stopAll = async () => {
  await git.stop();
  await plane.stop();
  await rm(gitRoot, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
};
let failed = false;
try {
  const v = plane.versions;
  process.stdout.write(`kube-apiserver ${v.kubeApiserver} at ${plane.server}, etcd ${v.etcd}, cluster-api ${v.capi} CRDs, cluster-api-provider-packet ${v.capp} CRDs\n`);
  const kubeconfig = join(cacheDir, 'kubeconfig');
  await writeFile(kubeconfig, plane.kubeconfig);

  step('serving fleet-example/ from a local git server');
  const files = await readTree(FLEET);
  const first = await createRepo(gitRoot, 'fleet', files, { message: 'fleet: staging and prod' });
  const repo = `${git.url}/fleet.git`;
  process.stdout.write(`${repo} main@sha1:${first} (${Object.keys(files).length} files)\n`);
  const env = { KUBECONFIG: kubeconfig, DROVER_CACHE_DIR: cacheDir };
  const fleetArgs = ['--repo', repo, '--env', 'staging'];

  step('merge-to-deploy: plan staging at main');
  const check = (code: number, what: string) => {
    if (code !== 0) throw new Error(`${what} exited ${code}`);
  };
  check(await drover(['plan', ...fleetArgs, '--ref', 'main'], env), 'plan');
  step('apply staging at main: dry-run every object, then write in stages');
  check(await drover(['apply', ...fleetArgs, '--ref', 'main'], env), 'apply');
  step('the same revision again: nothing to write');
  check(await drover(['apply', ...fleetArgs, '--ref', 'main'], env), 'apply');

  step('a pull request resizes pool ams-stg-1-md-0 from 2 to 3 machines');
  const poolFile = 'clusters/staging/ams-stg-1/pool-md-0.yaml';
  const resized = files[poolFile]!.replace(/replicas: 2\b/, 'replicas: 3');
  if (resized === files[poolFile]) throw new Error(`${poolFile}: expected "replicas: 2"`);
  const head = await commitFiles(gitRoot, 'fleet', { [poolFile]: resized }, { message: 'staging: ams-stg-1 md-0 to 3 machines', branch: 'resize-md-0' });
  await setRef(gitRoot, 'fleet', 'refs/pull/1/head', head);
  check(await drover(['plan', ...fleetArgs, '--pr', '1', '--output', 'markdown'], env), 'plan --pr');

  step('the pull request merges to main; Drover applies it');
  await setRef(gitRoot, 'fleet', 'refs/heads/main', head);
  check(await drover(['apply', ...fleetArgs, '--ref', 'main'], env), 'apply');

  step('prod, next in the promotion order: its plan');
  check(await drover(['plan', '--repo', repo, '--ref', 'main', '--env', 'prod'], env), 'plan prod');

  if (keep) {
    process.stdout.write(`\nThe cluster and git server keep running; Ctrl-C stops them.\n  export KUBECONFIG=${kubeconfig}\n  bin/drover plan --repo ${repo} --env staging\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  process.stdout.write('\ndemo finished: staging applied at main, the resize planned on its pull request and applied after the merge\n');
} catch (e) {
  failed = true;
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
