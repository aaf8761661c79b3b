// Fault injection (issue 8): `drover apply --report` as a child process while the forge (the
// GitHub API stand-in, held to GitHub's OpenAPI description) misbehaves behind a small proxy
// (test/support/fault-http-proxy.ts): 500 on everything, 429 with a short and a long
// Retry-After, 401, a forge that hangs, and a forge that carries a status out but loses the
// answer. Each fault on its own commit; then a re-run (`drover status --report`, which the
// README documents as the way to deliver what waits) with the forge healthy. After it: every
// status a run decided is on the forge exactly once (no (state, description) twice in a row for
// a context, nothing decided and never delivered), the outbox is empty, and the exit codes are
// as documented. The shared control plane is used (nothing here harms it).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFileOutbox, type OutboxEntry } from '../../agent/report/outbox.js';
import { OUTBOX_FILE } from '../../agent/cli/report-target.js';
import { describeExit, runDrover, summarizeExit, type DroverExit } from '../support/fault-drover.js';
import { fleetFiles, type FaultFleetRevision } from '../support/fault-fleet.js';
import { startFaultHttpProxy, type FaultHttpProxy, type HttpFault } from '../support/fault-http-proxy.js';
import { startGitHubApiServer, type GitHubApiServer, type GitHubStatus } from '../support/forge/github-api-server.js';
import { commitFiles, createRepo } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const gitServerUrl = inject('gitServerUrl');
const id = randomBytes(3).toString('hex');
const TOKEN = 'ghp_faultsForgeTokenThatMustNeverAppear0123';
const repo = `acme/faults-forge-${id}`;
const env = `ff-${id}`;
const REPORT_TIMEOUT_S = 6;

let github: GitHubApiServer;
let proxy: FaultHttpProxy;
let ns: string;
let work: string;
let rev = 0;
const table: string[] = [];

beforeAll(async () => {
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: `faults-forge-${id}`, enterprise: true });
  proxy = await startFaultHttpProxy(github.url);
  ns = await createTestNamespace(kubeconfigPath, 'faults-forge');
  work = await mkdtemp(join(tmpdir(), 'drover-faults-forge-'));
  await createRepo(gitRoot, repo, files(0), { message: 'rev 0' });
}, 600_000);

afterAll(async () => {
  console.log(`faults × outcome (faults-forge):\n${table.join('\n')}`);
  await proxy?.close();
  await github?.close();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  if (work) await rm(work, { recursive: true, force: true });
});

function files(r: number): Record<string, string> {
  // The namespace exists already (createTestNamespace): the fleet declares only its own objects.
  const revision: FaultFleetRevision = { clusters: 2, configMaps: 1, rev: r, namespaceObject: false };
  return fleetFiles(env, ns, revision);
}

const drover = (verb: 'apply' | 'status'): Promise<DroverExit> =>
  runDrover([verb, '--repo', `${gitServerUrl}/${repo}.git`, '--ref', 'main', '--env', env, '--kubeconfig', kubeconfigPath, '--cache-dir', join(work, 'cache'),
    '--report', '--forge', 'github', '--forge-url', proxy.url, '--forge-token-env', 'GHE_TOKEN', '--report-timeout', String(REPORT_TIMEOUT_S)], { cwd: work, env: { GHE_TOKEN: TOKEN } });

const outbox = () => createFileOutbox(join(work, 'cache', OUTBOX_FILE));

/** Contexts whose statuses show the same (state, description) twice in a row: a status delivered twice. */
function duplicates(list: readonly GitHubStatus[]): string[] {
  const out: string[] = [];
  const last = new Map<string, string>();
  for (const s of list) {
    const v = `${s.state}|${s.description ?? ''}`;
    if (last.get(s.context) === v) out.push(`${s.context}: ${v}`);
    last.set(s.context, v);
  }
  return out;
}

/** Queued statuses (from the faulted run) that never reached the forge. */
function undelivered(queued: readonly OutboxEntry[], list: readonly GitHubStatus[]): string[] {
  return queued.filter((q) => !list.some((s) => s.context === q.status.context && s.state === q.status.state && (s.description ?? '') === (q.status.description ?? ''))).map((q) => `${q.status.context} ${q.status.state}`);
}

interface Case {
  readonly name: string;
  readonly rule: (req: { method: string; path: string }, n: number) => HttpFault | undefined;
  /**
   * Exit code of the faulted `apply --report`: 0, the apply did its job; statuses the forge did
   * not take wait in the outbox (issue 8 #8: bounded by --report-timeout, the rest queued).
   */
  readonly faultedExit: number;
}

const statusPost = (req: { method: string; path: string }) => req.method === 'POST' && /\/statuses\/[0-9a-f]{40}$/.test(req.path);

const cases: Case[] = [
  { name: '500 on every request', rule: () => ({ kind: 'answer', status: 500, body: { message: 'Server Error' } }), faultedExit: 0 },
  { name: '429 with Retry-After: 1 on the first two requests', rule: (_r, n) => (n <= 2 ? { kind: 'answer', status: 429, headers: { 'retry-after': '1' }, body: { message: 'rate limited' } } : undefined), faultedExit: 0 },
  { name: '429 with Retry-After: 600 (beyond the report budget)', rule: () => ({ kind: 'answer', status: 429, headers: { 'retry-after': '600' }, body: { message: 'rate limited' } }), faultedExit: 0 },
  { name: '401 on every request', rule: () => ({ kind: 'answer', status: 401, body: { message: 'Bad credentials' } }), faultedExit: 0 },
  { name: 'a forge that hangs (never answers)', rule: () => ({ kind: 'hang' }), faultedExit: 0 },
  { name: 'the first status POST carried out, its answer lost', rule: (r, n) => (statusPost(r) && n <= 1 ? { kind: 'lost' } : undefined), faultedExit: 0 },
];

describe('forge faults during apply --report, then a re-run with the forge healthy', () => {
  for (const c of cases) {
    it(c.name, async () => {
      rev++;
      const sha = await commitFiles(gitRoot, repo, files(rev), { message: `rev ${rev}` });
      let n = 0;
      let statusPosts = 0;
      proxy.setRule((req) => {
        n++;
        if (statusPost(req)) statusPosts++;
        return c.rule(req, c.name.includes('status POST') ? statusPosts : n);
      });
      const t0 = Date.now();
      const droppedBefore = (await outbox().dropped()).length;
      const faulted = await drover('apply');
      const faultedMs = Date.now() - t0;
      proxy.setRule(undefined);
      const queued = await outbox().list();
      const dropped = (await outbox().dropped()).slice(droppedBefore);
      expect(faulted.stderr).not.toContain(TOKEN);
      expect(faulted.code, describeExit(faulted)).toBe(c.faultedExit);

      const rerun = await drover('status');
      const list = github.statuses(sha);
      expect(rerun.stderr).not.toContain(TOKEN);
      expect([0, 3]).toContain(rerun.code); // 3: pending (converging), as documented for status
      expect(await outbox().list()).toEqual([]);
      expect(duplicates(list)).toEqual([]);
      expect(undelivered(queued.filter((q) => q.sha === sha), list)).toEqual([]);
      const contexts = new Set(list.map((s) => s.context));
      expect([...contexts].sort()).toEqual([`drover/${env}`, `drover/${env}/c1`, `drover/${env}/c2`]);
      table.push(`| forge: ${c.name} | apply --report ${summarizeExit(faulted)} in ${(faultedMs / 1000).toFixed(1)} s; ${queued.length} queued in the outbox${dropped.length ? `, ${dropped.length} dropped (${dropped[0]!.reason}: ${dropped[0]!.error.slice(0, 80)})` : ''} | status --report ${summarizeExit(rerun)}; outbox empty; ${list.length} statuses on the forge for ${contexts.size} contexts, none twice |`);
    });
  }
});
