import type { KubeClient } from '../kube/kube-client.js';
import { ForgeKind } from '../report/forge.js';
import { Forge as SourceForge } from '../source/source-ref.js';
import type { AgentPlugin } from './agent-plugin.js';
import { createConfigMapHeadStore } from './pr-checked-heads.js';
import { createPlanCheck } from './pr-plan-check.js';
import type { PullRequestInbox } from './pr-inbox.js';
import { checkPullRequestHeads, pollPullRequests, type PullRequestCheck } from './pr-poller.js';
import type { PullRequestHead } from '../report/forge.js';

export interface PullRequestPluginOptions {
  /** Heads announced by webhooks (webhook-plugin.ts), checked first on the Fleet's next pass. */
  readonly inbox?: PullRequestInbox | undefined;
  /** Told each pull request head checked and reported (the fleet page lists its plans). `fleet` is `<namespace>/<name>`. */
  readonly onChecked?: ((fleet: string, pr: PullRequestHead, checks: readonly PullRequestCheck[]) => void) | undefined;
}

/**
 * Pull request checks without webhooks (issue 14 §5) as an agent plug-in: on each poll of a
 * Fleet with a forge and pull request checks on, lists its open pull requests and, for each head
 * that changed since it was last checked, plans it against every environment (render, live
 * state, dry-run; never a write), posts `drover/plan/<env>` and edits the one sticky comment.
 * Checked heads live in ConfigMap `drover-pr-checks-<fleet>` in the Fleet's namespace, so a
 * restart does not comment again. Heads a webhook announced (options.inbox) are checked first,
 * through the same memory, so the poll that follows does not check them again.
 */
export function createPullRequestPlugin(options: PullRequestPluginOptions = {}): AgentPlugin {
  let client: KubeClient | undefined;
  return {
    name: 'pull-request-checks',
    start(ctx) {
      client = ctx.client;
    },
    onFleetRemoved(key) {
      options.inbox?.forget(key);
    },
    async onPoll(input) {
      const { fleet, reporter } = input;
      const announced = options.inbox?.take(fleet.key) ?? [];
      if (!reporter || !fleet.spec.pullRequests || !client) return;
      const forgeKind = reporter.forge.kind === ForgeKind.GitLab ? SourceForge.GitLab : reporter.forge.kind === ForgeKind.Gitea ? SourceForge.Gitea : SourceForge.GitHub;
      // The Fleet's own source (cache and credentials) reads the heads.
      const source = { fetchRevision: (ref: string) => input.fetchRevision(ref) };
      const deps = {
        reportStatuses: (sha: string, statuses: Parameters<typeof reporter.reportStatuses>[1]) => reporter.reportStatuses(sha, statuses),
        reportComment: (pr: number, env: string, markdown: string) => reporter.reportPlanComment(pr, env, markdown),
        check: createPlanCheck({ ...input.reconcileDeps, source, forgeKind, knownEnvironments: () => input.config.environments.map((e) => e.name) }),
        store: createConfigMapHeadStore(client, { namespace: fleet.namespace, name: fleet.name }),
        log: input.log,
        onChecked: options.onChecked ? (pr: PullRequestHead, checks: readonly PullRequestCheck[]) => options.onChecked!(fleet.key, pr, checks) : undefined,
      };
      const heads = announced.filter((p) => p.baseRef === fleet.spec.ref);
      if (heads.length) {
        const pushed = await checkPullRequestHeads({ ...deps, forgeId: reporter.forge.id }, heads);
        input.log.info({ checked: pushed.checked, unchanged: pushed.unchanged, failed: pushed.failed.map((f) => f.number) }, 'pull requests from webhooks checked');
      }
      const result = await pollPullRequests({ ...deps, forge: reporter.forge, baseRef: fleet.spec.ref });
      if (result.checked.length || result.failed.length) input.log.info({ checked: result.checked, failed: result.failed.map((f) => f.number) }, 'pull requests polled');
    },
  };
}
