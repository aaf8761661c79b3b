// The fault-injection suite's side of Drover: `drover …` as a child process (run from the
// TypeScript source like bin/drover, see drover-cli.ts) that a test can SIGKILL at a moment it
// chooses, and the checks made after every fault and re-run (fault-audit below): live objects =
// desired, inventory = live owned set, nothing deleted that the inventory did not hold, foreign
// objects untouched.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { fetchInventory } from '../../agent/apply/inventory-store.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { formatRef, refKey } from '../../agent/core/object-ref.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import type { LoggedKubeRequest } from './fault-kube-proxy.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface DroverExit {
  /** The exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DroverProcess {
  readonly child: ChildProcess;
  readonly done: Promise<DroverExit>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<DroverExit>;
  /** Output so far (stdout + stderr). */
  output(): string;
}

/** Starts `drover <argv>` (from source, through tsx) with only the environment given (plus PATH). */
export function startDrover(argv: readonly string[], options: { cwd: string; env?: Record<string, string> }): DroverProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/drover-cli.ts'), ...argv], {
    // tsx resolves from the repository; `options.cwd` is the run's HOME (and its scratch dir).
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.cwd, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<DroverExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return done;
    },
    output: () => stdout + stderr,
  };
}

/** Runs `drover <argv>` to its end (bounded: SIGKILL after `timeoutMs`, then the exit says so). */
export async function runDrover(argv: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<DroverExit> {
  const p = startDrover(argv, options);
  const timer = setTimeout(() => void p.kill(), options.timeoutMs ?? 180_000);
  try {
    return await p.done;
  } finally {
    clearTimeout(timer);
  }
}

/** One line for the faults × outcome table: exit code and the first line of stderr that says drover. */
export function summarizeExit(e: DroverExit): string {
  const lines = e.stderr.split('\n');
  const line = lines.find((l) => l.startsWith('drover:') && !l.startsWith('drover: warning')) ?? lines.find((l) => l.startsWith('drover:')) ?? lines.find((l) => l.trim()) ?? '';
  return `exit ${e.code ?? e.signal}${line ? `: ${line.slice(0, 300)}` : ''}`;
}

/** For assertion messages: the exit and the tail of both streams. */
export function describeExit(e: DroverExit): string {
  return `exit ${e.code ?? e.signal}\nstdout: ${e.stdout.slice(-1500)}\nstderr: ${e.stderr.slice(-2500)}`;
}

export function adminClient(kubeconfigPath: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return createKubeClient(kc, { fieldManager: 'fault-test' });
}

export interface ConvergenceInput {
  readonly client: KubeClient;
  readonly environment: string;
  readonly inventoryNamespace: string;
  /** Every object the environment renders at the revision applied last. */
  readonly desired: readonly KubeObject[];
  /** The kinds to look for orphans of in `namespace` (objects carrying Drover's field manager that are not desired). */
  readonly kinds: ReadonlyArray<{ apiVersion: string; kind: string }>;
  readonly namespace: string;
}

/**
 * What is wrong with the environment after a re-run, as readable lines (empty: converged):
 * a desired object missing or different from Git (its spec/data/labels as a subset), an object
 * with Drover's field manager that Git no longer declares, an inventory entry still pending, an
 * inventory that is not exactly the live owned set (by key and UID).
 */
export async function convergenceProblems(input: ConvergenceInput): Promise<string[]> {
  const { client } = input;
  const problems: string[] = [];
  const desiredKeys = new Set(input.desired.map((o) => refKey(ref(o))));
  const liveUids = new Map<string, string>();
  for (const obj of input.desired) {
    const live = await client.get(ref(obj));
    if (!live) {
      problems.push(`missing: ${formatRef(ref(obj))}`);
      continue;
    }
    liveUids.set(refKey(ref(obj)), live.metadata.uid ?? '');
    for (const field of ['spec', 'data'] as const) {
      const want = (obj as Record<string, unknown>)[field];
      if (want !== undefined && !isSubset(want, (live as Record<string, unknown>)[field])) problems.push(`differs from git: ${formatRef(ref(obj))} .${field}`);
    }
    const labels = obj.metadata.labels ?? {};
    for (const [k, v] of Object.entries(labels)) if (live.metadata.labels?.[k] !== v) problems.push(`differs from git: ${formatRef(ref(obj))} label ${k}`);
  }
  for (const kind of input.kinds) {
    const { items } = await client.list(kind.apiVersion, kind.kind, input.namespace);
    for (const o of items) {
      const key = refKey(ref({ ...o, apiVersion: kind.apiVersion }));
      if (desiredKeys.has(key) || o.metadata.deletionTimestamp) continue;
      if ((o.metadata.managedFields ?? []).some((m) => (m as { manager?: string }).manager?.startsWith('drover'))) problems.push(`orphan (written by Drover, not in git): ${formatRef(ref({ ...o, apiVersion: kind.apiVersion }))}`);
    }
  }
  const inventory = await fetchInventory(client, { environment: input.environment, namespace: input.inventoryNamespace });
  for (const [key, entry] of inventory) {
    if (entry.pending) problems.push(`inventory entry still pending: ${formatRef(entry)}`);
    if (!desiredKeys.has(key)) problems.push(`inventory holds what git does not declare: ${formatRef(entry)}`);
    else if (liveUids.has(key) && liveUids.get(key) !== entry.uid) problems.push(`inventory UID differs from live: ${formatRef(entry)} (${entry.uid} ≠ ${liveUids.get(key)})`);
  }
  for (const obj of input.desired) if (!inventory.has(refKey(ref(obj)))) problems.push(`not in the inventory: ${formatRef(ref(obj))}`);
  return problems;
}

/** DELETE requests the apiserver accepted, as `resource/namespace/name`. */
export function acceptedDeletes(log: readonly LoggedKubeRequest[]): string[] {
  return log.filter((r) => r.method === 'DELETE' && !r.dryRun && r.status >= 200 && r.status < 300).map((r) => `${r.resource}/${r.namespace ?? ''}/${r.name ?? ''}`);
}

/** Every DELETE that reached the apiserver (answered or not): the audit counts attempts too. */
export function attemptedDeletes(log: readonly LoggedKubeRequest[]): string[] {
  return log.filter((r) => r.method === 'DELETE' && !r.dryRun).map((r) => `${r.resource}/${r.namespace ?? ''}/${r.name ?? ''}`);
}

function ref(o: KubeObject) {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace || undefined, name: o.metadata.name ?? '' };
}

function isSubset(want: unknown, got: unknown): boolean {
  if (want === null || typeof want !== 'object') return want === got;
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => isSubset(w, got[i]));
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(want).every(([k, v]) => isSubset(v, (got as Record<string, unknown>)[k]));
}
