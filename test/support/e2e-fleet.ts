// A fleet repository hosted on a real Gitea for the e2e-capi tests, and Drover's CLI run
// in-process against it on the wall clock (real controllers take real time): commits are made
// locally with git plumbing and pushed over smart HTTP; statuses are read back from Gitea's API.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { main } from '../../agent/cli/main.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { giteaBinary, startGitea, type GiteaInstance } from './forge/gitea.js';
import { commitFiles, createRepo, repoPath } from './git-repo.js';

const run = promisify(execFile);

export interface EnvSpec {
  name: string;
  namespace: string;
  /** The objects of each cluster, one file per cluster. */
  clusters: Record<string, KubeObject[]>;
  after?: string;
  provisioningTimeout?: string;
}

/** drover.yaml plus `environments/<env>/{kustomization.yaml,<cluster>.yaml}`. */
export function fleetFiles(envs: EnvSpec[]): Record<string, string> {
  const files: Record<string, string> = {
    'drover.yaml': stringify({
      apiVersion: 'drover.dev/v1alpha1',
      kind: 'Fleet',
      environments: envs.map((e) => ({
        name: e.name,
        path: `environments/${e.name}`,
        namespace: e.namespace,
        ...(e.after ? { after: e.after } : {}),
        ...(e.provisioningTimeout ? { provisioningTimeout: e.provisioningTimeout } : {}),
      })),
    }),
  };
  for (const e of envs) {
    files[`environments/${e.name}/kustomization.yaml`] = stringify({ resources: Object.keys(e.clusters).map((c) => `${c}.yaml`) });
    for (const [c, objects] of Object.entries(e.clusters)) files[`environments/${e.name}/${c}.yaml`] = objects.map((o) => stringify(o)).join('---\n');
  }
  return files;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GiteaStatus {
  state: string;
  description: string;
}

export interface E2eForge {
  readonly gitea: GiteaInstance;
  /** Creates a private Gitea repository holding `files` on main; resolves with the commit. */
  hostFleet(repo: string, files: Record<string, string>): Promise<string>;
  /** Commits `files` on main (or a branch) and pushes it; resolves with the commit. */
  push(repo: string, files: Record<string, string>, opts: { message: string; branch?: string; remove?: string[] }): Promise<string>;
  /** Runs `drover <argv>` in-process with the repo flags for `repo` prepended after the command. */
  drover(repo: string, command: string, ...argv: string[]): Promise<CliRun>;
  /** Every status Gitea holds for a context on a commit, oldest first. */
  history(repo: string, sha: string, context: string): Promise<GiteaStatus[]>;
  stop(): Promise<void>;
}

export async function startE2eForge(kubeconfigPath: string): Promise<E2eForge> {
  const gitea = await startGitea(giteaBinary());
  const work = await mkdtemp(join(tmpdir(), 'drover-e2e-capi-'));
  const cacheDir = join(work, 'cache');
  const repoUrl = (name: string) => `${gitea.url}/drover/${name}.git`;
  const git = async (args: string[], cwd = work) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
    const auth = `Authorization: Basic ${Buffer.from(`drover:${gitea.token}`).toString('base64')}`;
    return (await run('git', ['-c', `http.extraHeader=${auth}`, ...args], { cwd, env })).stdout;
  };
  return {
    gitea,
    async hostFleet(name, files) {
      await gitea.api('POST', '/user/repos', { name, private: true, auto_init: false, default_branch: 'main' });
      const sha = await createRepo(work, name, files, { message: 'fleet' });
      await git(['push', '--quiet', repoUrl(name), 'refs/heads/main:refs/heads/main'], repoPath(work, name));
      return sha;
    },
    async push(name, files, opts) {
      const branch = opts.branch ?? 'main';
      const sha = await commitFiles(work, name, files, { message: opts.message, branch, from: 'main', ...(opts.remove ? { remove: opts.remove } : {}) });
      await git(['push', '--quiet', '--force', repoUrl(name), `refs/heads/${branch}:refs/heads/${branch}`], repoPath(work, name));
      return sha;
    },
    async drover(repo, command, ...argv) {
      let stdout = '';
      let stderr = '';
      const args = [command, '--repo', repoUrl(repo), '--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, '--token-env', 'GITEA_TOKEN', '--forge', 'gitea', ...argv];
      const code = await main(args, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        logStream: new Writable({ write: (_c, _e, cb) => cb() }),
        env: { GITEA_TOKEN: gitea.token, HOME: work, PATH: process.env.PATH },
        cwd: work,
      });
      return { code, stdout, stderr };
    },
    async history(repo, sha, context) {
      const all = await gitea.api<Array<{ id: number; status: string; context: string; description: string }>>('GET', `/repos/drover/${repo}/statuses/${sha}?limit=100`);
      return all.filter((s) => s.context === context).sort((a, b) => a.id - b.id).map((s) => ({ state: s.status, description: s.description }));
    },
    async stop() {
      await gitea.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Runs `status --report` every `intervalMs` until its exit code is not 3 (pending); resolves with every run. */
export async function followStatus(forge: E2eForge, repo: string, argv: string[], opts: { timeoutMs: number; intervalMs?: number; onRun?: (r: CliRun) => Promise<void> }): Promise<CliRun[]> {
  const runs: CliRun[] = [];
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const r = await forge.drover(repo, 'status', ...argv, '--report');
    runs.push(r);
    await opts.onRun?.(r);
    if (r.code !== 3) return runs;
    if (Date.now() > deadline) throw new Error(`status still pending after ${opts.timeoutMs} ms:\n${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, opts.intervalMs ?? 3_000));
  }
}
