// Fault injection (issue 8): `drover apply` as a child process while its git server (a private
// `git http-backend` bridge, test/support/git-server.ts) misbehaves in the middle of a big pack
// (a 24 MB blob beside the fleet): killed mid-fetch (every connection cut, then started again on
// the same port) and stalled mid-pack for 7 s (longer than Node's 5 s default socket drop, shorter
// than Drover's idle timeout). A killed fetch must be a transient source failure (exit 1, nothing
// written to the cluster, the inventory untouched, never "ref not found"); the re-run must
// converge. The shared control plane is used (nothing here harms it).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchInventory } from '../../agent/apply/inventory-store.js';
import { adminClient, convergenceProblems, describeExit, runDrover, startDrover, summarizeExit } from '../support/fault-drover.js';
import { FLEET_KINDS, fleetFiles, fleetObjects, type FaultFleetRevision } from '../support/fault-fleet.js';
import { startGitServer, type GitFault, type GitServer } from '../support/git-server.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');
const env = `fg-${id}`;
const repo = `faults-git-${id}`;
const BIG = 24 * 1024 * 1024;

let root: string;
let work: string;
let ns: string;
let git: GitServer;
let port = 0;
let fault: ((path: string) => GitFault | undefined) | undefined;
/** Bytes of pack bodies the server started to send, for "mid-pack". */
const table: string[] = [];
const admin = adminClient(kubeconfigPath);

const start = async () => {
  git = await startGitServer({ root, ...(port ? { port } : {}), fault: (info) => (info.path.endsWith('/git-upload-pack') && info.method === 'POST' ? fault?.(info.path) : undefined) });
  port = Number(new URL(git.url).port);
};

const revisionOf = (r: number): FaultFleetRevision => ({ clusters: 1, configMaps: 2, rev: r, namespaceObject: false, extraFiles: { [`blobs/big-${r}.bin`]: randomBytes(BIG / 2).toString('hex') } });
const args = () => ['apply', '--repo', `${git.url}/${repo}.git`, '--ref', 'main', '--env', env, '--kubeconfig', kubeconfigPath, '--cache-dir', join(work, 'cache')];
const problems = (r: number) => convergenceProblems({ client: admin, environment: env, inventoryNamespace: 'drover-system', desired: fleetObjects(ns, revisionOf(r)), kinds: FLEET_KINDS, namespace: ns });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'drover-faults-git-root-'));
  work = await mkdtemp(join(tmpdir(), 'drover-faults-git-'));
  ns = await createTestNamespace(kubeconfigPath, 'faults-git');
  await createRepo(root, repo, fleetFiles(env, ns, revisionOf(0)), { message: 'rev 0 with a big blob' });
  await start();
}, 600_000);

afterAll(async () => {
  console.log(`faults × outcome (faults-git):\n${table.join('\n')}`);
  await git?.stop();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  for (const d of [root, work]) if (d) await rm(d, { recursive: true, force: true });
});

describe('git server faults in the middle of a big pack', () => {
  it('killed mid-fetch (first clone): exit 1, a transient source failure, nothing written; the re-run converges', async () => {
    let stalled = false;
    fault = () => {
      stalled = true;
      return { action: 'stall', afterBytes: 1024 * 1024 };
    };
    const run = startDrover(args(), { cwd: work });
    await waitUntil(async () => (stalled ? true : undefined), { what: 'the pack to start', timeoutMs: 120_000, intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    await git.stop(); // every connection cut mid-pack
    const faulted = await run.done;
    fault = undefined;
    await start(); // the same port, the same repositories
    expect(faulted.code, describeExit(faulted)).toBe(1);
    expect(faulted.stderr).not.toMatch(/not found/i);
    expect((await fetchInventory(admin, { environment: env, namespace: 'drover-system' })).size).toBe(0);
    expect((await admin.list('v1', 'ConfigMap', ns)).items.filter((c) => c.metadata.name?.startsWith('cm-'))).toEqual([]);
    const rerun = await runDrover(args(), { cwd: work });
    expect(rerun.code, describeExit(rerun)).toBe(0);
    expect(await problems(0)).toEqual([]);
    table.push(`| git server killed mid-pack (first clone, 24 MB pack, after 1 MB), restarted on the same port | ${summarizeExit(faulted)}; nothing written, inventory empty | re-run ${summarizeExit(rerun)}; converged |`);
  });

  it('killed mid-fetch of a new commit: the last good state stays, the re-run converges to the new one', async () => {
    await commitFiles(root, repo, fleetFiles(env, ns, revisionOf(1)), { message: 'rev 1 with another big blob' });
    const before = await fetchInventory(admin, { environment: env, namespace: 'drover-system' });
    let stalled = false;
    fault = () => {
      stalled = true;
      return { action: 'stall', afterBytes: 512 * 1024 };
    };
    const run = startDrover(args(), { cwd: work });
    await waitUntil(async () => (stalled ? true : undefined), { what: 'the pack to start', timeoutMs: 120_000, intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    await git.stop();
    const faulted = await run.done;
    fault = undefined;
    await start();
    expect(faulted.code, describeExit(faulted)).toBe(1);
    expect(faulted.stderr).not.toMatch(/not found/i);
    expect(await problems(0)).toEqual([]); // still exactly rev 0
    expect([...(await fetchInventory(admin, { environment: env, namespace: 'drover-system' })).values()]).toEqual([...before.values()]);
    const rerun = await runDrover(args(), { cwd: work });
    expect(rerun.code, describeExit(rerun)).toBe(0);
    expect(await problems(1)).toEqual([]);
    table.push(`| git server killed mid-pack (fetch of a new commit, cache present), restarted | ${summarizeExit(faulted)}; rev 0 stays applied, inventory unchanged | re-run ${summarizeExit(rerun)}; converged to rev 1 |`);
  });

  it('stalled mid-pack for 7 s (past Node’s old 5 s socket drop): the fetch waits and the apply succeeds', async () => {
    await commitFiles(root, repo, fleetFiles(env, ns, revisionOf(2)), { message: 'rev 2 with another big blob' });
    fault = () => ({ action: 'stall', afterBytes: 512 * 1024, ms: 7_000 });
    const t0 = Date.now();
    const run = await runDrover(args(), { cwd: work });
    fault = undefined;
    expect(run.code, describeExit(run)).toBe(0);
    expect(await problems(2)).toEqual([]);
    table.push(`| git server stalls 7 s mid-pack, then goes on | ${summarizeExit(run)} in ${((Date.now() - t0) / 1000).toFixed(1)} s; converged | (no re-run needed) |`);
  });
});
