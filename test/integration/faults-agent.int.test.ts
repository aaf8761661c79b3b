// Issue 14's failure behaviours through the agent process: `drover agent` as a child process
// against a PRIVATE control plane (its kube-apiserver is killed and restarted here), a private git
// server (stopped and started again on its port) and the GitHub API stand-in behind a fault proxy
// (test/support/fault-http-proxy.ts). In order, with one agent:
// - git unreachable → the environment keeps serving the last good revision, and the Fleet's
//   SourceStale condition says the source cannot be read since when, and what it serves;
// - bad input in the repository → the environment is Stalled with an error naming file:line,
//   nothing is written, until a new commit fixes it;
// - apiserver unavailable (SIGKILL, a commit pushed meanwhile, restart) → with leader election
//   on (the default) the agent is deposed when its Lease lapses and exits 1 (a pod restarts it;
//   here the test does); as a lone replica (--leader-elect=false) it stays up, backs off and
//   applies the commit once the apiserver is back; nothing lost either way;
// - forge down (500 on everything) → the statuses wait in the outbox and are delivered, exactly
//   once, when it returns.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import type { KubeClient } from '../../agent/kube/kube-client.js';
import { startControlPlane, type ControlPlane } from '../support/control-plane.js';
import { adminClient, convergenceProblems } from '../support/fault-drover.js';
import { FLEET_KINDS, fleetFiles, fleetObjects, type FaultFleetRevision } from '../support/fault-fleet.js';
import { startFaultHttpProxy, type FaultHttpProxy } from '../support/fault-http-proxy.js';
import { startGitHubApiServer, type GitHubApiServer, type GitHubStatus } from '../support/forge/github-api-server.js';
import { startGitServer, type GitServer } from '../support/git-server.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { waitUntil } from '../support/wait-until.js';

const ROOT = join(import.meta.dirname, '..', '..');
const id = randomBytes(3).toString('hex');
const TOKEN = 'ghp_faultsAgentTokenThatMustNeverAppear01234';
const ENV = 'live';
const FLEET_NS = 'fleets';
const repo = `faults-agent-${id}`;
const namespace = `fa-${id}`;

interface Condition { type: string; status: string; reason: string; message: string }
interface FleetStatus {
  source?: { revision?: string; staleSince?: string; message?: string };
  conditions?: Condition[];
  environments?: Array<{ name: string; lastAppliedRevision?: string; lastAttemptedRevision?: string; conditions?: Condition[] }>;
}

let plane: ControlPlane;
let admin: KubeClient;
let git: GitServer;
let gitPort = 0;
let gitRootDir: string;
let github: GitHubApiServer;
let forge: FaultHttpProxy;
let work: string;
let agent: ChildProcess | undefined;
let agentLog = '';
const table: string[] = [];
const revisions: Record<number, string> = {};

const rev = (k: number): FaultFleetRevision => ({ clusters: 0, configMaps: 3, rev: k });
const startGit = async () => {
  git = await startGitServer({ root: gitRootDir, ...(gitPort ? { port: gitPort } : {}) });
  gitPort = Number(new URL(git.url).port);
};
const commit = async (k: number, files = fleetFiles(ENV, namespace, rev(k))) => {
  revisions[k] = await commitFiles(gitRootDir, repo, files, { message: `rev ${k}` });
  return revisions[k]!;
};
const fleetStatus = async (): Promise<FleetStatus> => ((await admin.get({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', namespace: FLEET_NS, name: 'fleet' })) as KubeObject & { status?: FleetStatus } | undefined)?.status ?? {};
const envStatus = async () => (await fleetStatus()).environments?.find((e) => e.name === ENV);
const cond = (list: Condition[] | undefined, type: string) => list?.find((c) => c.type === type);
const problems = (k: number) => convergenceProblems({ client: admin, environment: ENV, inventoryNamespace: 'drover-system', desired: fleetObjects(namespace, rev(k)), kinds: FLEET_KINDS, namespace });
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) =>
  waitUntil(probe, { what, timeoutMs, intervalMs: 500 }).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}\nagent log (last lines):\n${agentLog.slice(-4000)}`);
  });
const appliedAt = (k: number) => until(`${ENV} applied at rev ${k}`, async () => ((await envStatus())?.lastAppliedRevision === `main@sha1:${revisions[k]}` ? true : undefined));

function startAgentProcess(extra: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/drover-cli.ts'), 'agent', '--kubeconfig', plane.kubeconfigPath, '--namespace', FLEET_NS,
    '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache'), '--recheck-interval', '2s', '--log-level', 'info', ...extra], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: work } });
  child.stdout!.on('data', (c) => (agentLog += String(c)));
  child.stderr!.on('data', (c) => (agentLog += String(c)));
  return child;
}

/** Contexts whose statuses show the same (state, description) twice in a row. */
function duplicates(list: readonly GitHubStatus[]): string[] {
  const last = new Map<string, string>();
  const out: string[] = [];
  for (const s of list) {
    const v = `${s.state}|${s.description ?? ''}`;
    if (last.get(s.context) === v) out.push(`${s.context}: ${v}`);
    last.set(s.context, v);
  }
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'drover-faults-agent-'));
  gitRootDir = await mkdtemp(join(tmpdir(), 'drover-faults-agent-git-'));
  plane = await startControlPlane();
  admin = adminClient(plane.kubeconfigPath);
  await startGit();
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo, enterprise: true });
  forge = await startFaultHttpProxy(github.url);
  revisions[0] = await createRepo(gitRootDir, repo, fleetFiles(ENV, namespace, rev(0)), { message: 'rev 0' });
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLEET_NS } }, { dryRun: false, force: true });
  // As manifests/ installs it: without drover-system the agent's leader election never gets
  // its Lease and the agent reconciles nothing (seen here; reported in notes-faults.md).
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'drover-system' } }, { dryRun: false, force: true });
  await admin.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'forge', namespace: FLEET_NS }, stringData: { token: TOKEN } } as KubeObject, { dryRun: false, force: true });
  await admin.apply({
    apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'fleet', namespace: FLEET_NS },
    spec: { source: { url: `${git.url}/${repo}.git` }, interval: '2s', forge: { kind: 'github', url: forge.url, repository: `acme/${repo}`, tokenSecretRef: { name: 'forge' } } },
  }, { dryRun: false, force: true });
  agent = startAgentProcess();
  await appliedAt(0);
  expect(await problems(0)).toEqual([]);
}, 600_000);

afterAll(async () => {
  console.log(`faults × outcome (faults-agent):\n${table.join('\n')}`);
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent!.once('exit', r));
    agent.kill('SIGTERM');
    await exited;
  }
  await forge?.close();
  await github?.close();
  await git?.stop();
  await plane?.stop();
  for (const d of [work, gitRootDir]) if (d) await rm(d, { recursive: true, force: true });
});

describe('drover agent (child process) under faults', () => {
  it('git unreachable: keeps serving the last good revision, SourceStale says since when; recovers when git returns', async () => {
    await git.stop();
    const stale = await until('SourceStale True', async () => {
      const s = await fleetStatus();
      const c = cond(s.conditions, 'SourceStale');
      return c?.status === 'True' ? { c, s } : undefined;
    });
    expect(stale.c.message).toMatch(new RegExp(`^the source cannot be read since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z; serving main@sha1:${revisions[0]}`));
    expect(stale.s.source?.staleSince).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Still serving rev 0: the environment stays applied and Ready, its objects as they were.
    const env = await envStatus();
    expect(env?.lastAppliedRevision).toBe(`main@sha1:${revisions[0]}`);
    expect(cond(env?.conditions, 'Ready')?.status).toBe('True');
    expect(await problems(0)).toEqual([]);
    // A commit made while the server is away is applied once it is back.
    await commit(1);
    await startGit();
    await appliedAt(1);
    await until('SourceStale False', async () => (cond((await fleetStatus()).conditions, 'SourceStale')?.status === 'False' ? true : undefined));
    expect(await problems(1)).toEqual([]);
    table.push(`| agent: git server stopped | SourceStale=True "${stale.c.message.slice(0, 160)}…"; ${ENV} stays Ready at rev 0, objects unchanged | git back: rev 1 (pushed meanwhile) applied, SourceStale=False |`);
  });

  it('bad input in the repository: Stalled naming file:line, nothing written, until a new commit fixes it', async () => {
    const files = fleetFiles(ENV, namespace, rev(2));
    const lines = files['env/objects.yaml']!.split('\n');
    // Line 4 of objects.yaml becomes a flow sequence that never closes.
    lines.splice(3, 0, 'broken: [unclosed');
    files['env/objects.yaml'] = lines.join('\n');
    await commit(2, files);
    const stalled = await until('Stalled with file:line', async () => {
      const env = await envStatus();
      const c = cond(env?.conditions, 'Stalled');
      return c?.status === 'True' && env?.lastAttemptedRevision === `main@sha1:${revisions[2]}` ? c : undefined;
    });
    expect(stalled.message).toMatch(/env\/objects\.yaml:\d+(:\d+)?/);
    expect(await problems(1)).toEqual([]); // still rev 1, nothing written
    await commit(3);
    await appliedAt(3);
    // Ready follows once health is read for the new revision (Unknown for a moment).
    await until('Ready True, Stalled False at rev 3', async () => {
      const env = await envStatus();
      return cond(env?.conditions, 'Stalled')?.status === 'False' && cond(env?.conditions, 'Ready')?.status === 'True' ? true : undefined;
    });
    expect(await problems(3)).toEqual([]);
    table.push(`| agent: a commit with invalid YAML in env/objects.yaml | Stalled=True ${stalled.reason}: "${stalled.message.split('\n')[0]!.slice(0, 160)}"; rev 1 stays | fixing commit: applied, Stalled=False, Ready=True |`);
  });

  it('apiserver unavailable, leader election on (the default): the agent exits 1 once its leader Lease lapses; restarted, it applies what was pushed meanwhile', async () => {
    const child = agent!;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    plane.signal('kubeApiserver', 'SIGKILL');
    await commit(4);
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 60_000))]);
    await plane.restartKubeApiserver();
    // Documented (README, replicas): deposed when its Lease lapses, as client-go's OnStoppedLeading;
    // in a pod the kubelet starts it again. Here the test does, as a lone replica from now on.
    expect(code, `agent log:\n${agentLog.slice(-3000)}`).toBe(1);
    agent = startAgentProcess(['--leader-elect=false']);
    await appliedAt(4);
    expect(await problems(4)).toEqual([]);
    table.push(`| agent (leader election on, default): kube-apiserver SIGKILLed, a commit pushed meanwhile | agent logged "leader election lost" and exited 1 within 60 s (no supervisor here: it stays down) | apiserver restarted, agent started again: rev 4 applied; live = desired, inventory = live owned |`);
  }, 400_000);

  it('apiserver unavailable, --leader-elect=false (a lone replica): the agent stays up, backs off, and applies what was pushed meanwhile', async () => {
    plane.signal('kubeApiserver', 'SIGKILL');
    const from = agentLog.length;
    await commit(5);
    await new Promise((r) => setTimeout(r, 20_000));
    expect(agent?.exitCode, `the agent exited while the apiserver was away\n${agentLog.slice(-3000)}`).toBeNull();
    const during = agentLog.slice(from).split('\n').filter((l) => /backing off|retry|ECONNREFUSED/i.test(l)).length;
    await plane.restartKubeApiserver();
    await appliedAt(5);
    expect(await problems(5)).toEqual([]);
    expect(agent?.exitCode).toBeNull();
    table.push(`| agent (--leader-elect=false): kube-apiserver SIGKILLed for ~20 s, a commit pushed meanwhile, restarted | agent stayed up (${during} log lines of failed requests/watches backing off) | rev 5 applied after the restart; live = desired, inventory = live owned |`);
  }, 400_000);

  it('forge down: statuses wait in the outbox and are delivered exactly once when it returns', async () => {
    forge.setRule(() => ({ kind: 'answer', status: 500, body: { message: 'Server Error' } }));
    const sha = await commit(6);
    await appliedAt(6);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(github.statuses(sha)).toEqual([]);
    const refused = forge.requests.filter((r) => r.injected).length;
    forge.setRule(undefined);
    const delivered = await until('statuses delivered', async () => {
      const list = github.statuses(sha);
      return list.some((s) => s.context === `drover/${ENV}`) ? list : undefined;
    }, 180_000);
    await new Promise((r) => setTimeout(r, 5_000));
    const list = github.statuses(sha);
    expect(duplicates(list)).toEqual([]);
    table.push(`| agent: forge answers 500 to everything while rev 6 is applied | ${refused} forge requests refused; no status on the forge | forge back: ${delivered.length} → ${list.length} statuses for rev 6 (${list.map((s) => `${s.context} ${s.state}`).join(', ')}), none twice |`);
  }, 400_000);
});
