// The CLI's --report against GitHub Enterprise Server through --forge-url: the fleet repository
// is served by the run's git http-backend, the statuses and the plan comment go to the local
// GitHub API stand-in (every request and response checked against GitHub's published OpenAPI
// description). main() runs in-process against the real control plane; time is logical.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../agent/cli/main.js';
import { clusterObjects } from '../support/capi-cluster-objects.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { commitFiles, createRepo, setRef } from '../support/git-repo.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const gitRoot = inject('gitRoot');
const id = randomBytes(3).toString('hex');
const TOKEN = 'ghp_cliReportTokenThatMustNeverAppear012345';
const name = `acme/fleet-ghe-${id}`;
const env = `ghe-${id}`;

let github: GitHubApiServer;
let ns: string;
let work: string;

beforeAll(async () => {
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: `fleet-ghe-${id}`, enterprise: true });
  ns = await createTestNamespace(kubeconfigPath, 'cli-ghe');
  work = await mkdtemp(join(tmpdir(), 'drover-cli-ghe-'));
});
afterAll(async () => {
  await github?.close();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
  if (work) await rm(work, { recursive: true, force: true });
});

function files(workerReplicas: number): Record<string, string> {
  return {
    'drover.yaml': stringify({ environments: [{ name: env, path: 'env', namespace: ns }] }),
    'env/kustomization.yaml': stringify({ resources: ['eu-1.yaml'] }),
    'env/eu-1.yaml': clusterObjects(ns, 'eu-1', { workerReplicas }).map((o) => stringify(o)).join('---\n'),
  };
}

async function drover(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    [...argv, '--repo', `${inject('gitServerUrl')}/${name}.git`, '--env', env, '--kubeconfig', kubeconfigPath, '--cache-dir', join(work, 'cache'), '--report', '--forge', 'github', '--forge-url', github.url, '--forge-token-env', 'GHE_TOKEN'],
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      logStream: new Writable({ write: (_c, _e, cb) => cb() }),
      env: { GHE_TOKEN: TOKEN, HOME: work },
      cwd: work,
      now: () => Date.parse('2026-11-25T08:00:00Z'),
    },
  );
  return { code, stdout, stderr };
}

describe('--report to GitHub Enterprise Server (--forge github --forge-url …/api/v3)', () => {
  it('posts the apply and health statuses, then the plan check and its comment on a pull request', async () => {
    const main1 = await createRepo(gitRoot, name, files(3));
    const applied = await drover('apply', '--ref', 'main');
    expect(applied.code).toBe(0);
    expect(github.statuses(main1).map((s) => [s.context, s.state, s.description])).toEqual([
      [`drover/${env}`, 'pending', `${env}: applied 7 created; 0/1 clusters healthy at this revision; pending: eu-1`],
      [`drover/${env}/eu-1`, 'pending', expect.stringMatching(new RegExp(`^${env}/eu-1: Reconciling \\(`))],
    ]);
    const status = await drover('status', '--ref', 'main');
    expect(status.code).toBe(3);
    expect(status.stderr).toContain('0 posted, 2 unchanged');

    const head = await commitFiles(gitRoot, name, files(5), { message: 'eu-1 md-0 to 5', branch: 'resize', from: 'main' });
    await setRef(gitRoot, name, 'refs/pull/1/head', head);
    const planned = await drover('plan', '--pr', '1');
    expect(planned.code).toBe(0);
    expect(github.statuses(head).map((s) => [s.context, s.state, s.description])).toEqual([[`drover/plan/${env}`, 'success', '+0 clusters, 1 pool resized, 0 deleted']]);
    expect(github.comments(1)).toHaveLength(1);
    expect(github.comments(1)[0]!.body).toContain(`<!-- drover:plan:${env} -->\n### Drover plan for \`${env}\` at \`refs/pull/1/head@sha1:${head}\``);

    expect(github.contract.violations).toEqual([]);
    const everything = JSON.stringify([applied, status, planned]);
    expect(everything).not.toContain(TOKEN);
  });
});
