// Drover's agent, in this process, against a plane where the real Cluster API controllers run and
// a real Gitea holds the fleet repositories: the e2e-capi tests and `npm run bench:capi` push a
// commit to Gitea and wait for the agent (Fleet watch, source poll, apply, health follower) to
// turn the commit statuses green by itself; nobody runs the CLI. The agent is composed as
// `drover agent` composes it (agent/cli/agent-command.ts): two clients sharing one
// RequestCounter, the health, pull-request and webhook plug-ins (no leader election: one replica).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '../../agent/cli/logger.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { createKubeClient, RequestCounter, type KubeClient } from '../../agent/kube/kube-client.js';
import { RECORD_FIELD_MANAGER } from '../../agent/reconcile/status-record.js';
import { startAgent, type RunningAgent } from '../../agent/runtime/agent.js';
import { createHealthPlugin } from '../../agent/runtime/health-plugin.js';
import { PullRequestInbox } from '../../agent/runtime/pr-inbox.js';
import { createPullRequestPlugin } from '../../agent/runtime/pr-plugin.js';
import { createWebhookPlugin } from '../../agent/runtime/webhook-plugin.js';
import type { E2eForge } from './e2e-fleet.js';

export interface CapiAgent {
  readonly agent: RunningAgent;
  /** Every Kubernetes request the agent made, by verb. */
  readonly requests: RequestCounter;
  /** An admin client (field manager `test`), not counted. */
  readonly admin: KubeClient;
  /** The agent's log lines (JSON), newest last. */
  readonly log: string[];
  /** Creates the Fleet of a Gitea repository in `namespace` (source and forge token from one Secret). */
  createFleet(namespace: string, repo: string, opts?: { interval?: string }): Promise<void>;
  stop(): Promise<void>;
}

export interface CapiAgentOptions {
  kubeconfigPath: string;
  forge: E2eForge;
  /** How often converging environments are looked at again when no watch says so (default 5 s). */
  recheckInterval?: number;
}

export async function startCapiAgent(opts: CapiAgentOptions): Promise<CapiAgent> {
  const kc = new KubeConfig();
  kc.loadFromFile(opts.kubeconfigPath);
  const requests = new RequestCounter();
  const admin = createKubeClient(kc, { fieldManager: 'test' });
  const cacheDir = await mkdtemp(join(tmpdir(), 'drover-capi-agent-'));
  const log: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) log.push(line);
      if (log.length > 5_000) log.splice(0, log.length - 5_000);
      cb();
    },
  });
  const inbox = new PullRequestInbox();
  const agent = await startAgent({
    client: createKubeClient(kc, { requests }),
    recordClient: createKubeClient(kc, { fieldManager: RECORD_FIELD_MANAGER, requests }),
    requests,
    log: createLogger('info', logStream),
    concurrency: 4,
    listenHost: '127.0.0.1',
    listenPort: 0,
    cacheDir,
    inventoryNamespace: 'default',
    recheckMs: opts.recheckInterval ?? 5_000,
    identity: 'drover-e2e-capi-agent',
    plugins: [createHealthPlugin(), createPullRequestPlugin({ inbox }), createWebhookPlugin({ inbox })],
  });
  const { gitea } = opts.forge;
  return {
    agent,
    requests,
    admin,
    log,
    async createFleet(namespace, repo, fleetOpts = {}) {
      const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${repo}-git`, namespace }, stringData: { username: gitea.user, password: gitea.token, token: gitea.token } } as KubeObject;
      await admin.apply(secret, { dryRun: false, force: true });
      await admin.apply({
        apiVersion: 'drover.dev/v1alpha1',
        kind: 'Fleet',
        metadata: { name: repo, namespace },
        spec: {
          source: { url: `${gitea.url}/${gitea.user}/${repo}.git`, secretRef: { name: `${repo}-git` } },
          interval: fleetOpts.interval ?? '3s',
          forge: { kind: 'gitea', url: gitea.url, repository: `${gitea.user}/${repo}`, tokenSecretRef: { name: `${repo}-git` } },
        },
      }, { dryRun: false, force: true });
    },
    async stop() {
      await agent.stop();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** The latest state of every `drover/…` context on a commit (Gitea's combined status, all pages). */
export async function latestStatuses(forge: E2eForge, repo: string, sha: string): Promise<Map<string, { state: string; description: string }>> {
  const out = new Map<string, { state: string; description: string }>();
  for (let page = 1; ; page++) {
    const res = await forge.gitea.api<{ statuses: Array<{ context: string; status: string; description: string }> | null }>('GET', `/repos/${forge.gitea.user}/${repo}/commits/${sha}/status?page=${page}&limit=50`);
    const list = res.statuses ?? [];
    for (const s of list) out.set(s.context, { state: s.status, description: s.description });
    if (list.length < 50) return out;
  }
}
