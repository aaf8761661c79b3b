import type { KubeClient } from '../kube/kube-client.js';
import { ForgeKind } from '../report/forge.js';
import { Forge as SourceForge } from '../source/source-ref.js';
import type { AgentPlugin } from './agent-plugin.js';
import { createConfigMapHeadStore } from './pr-checked-heads.js';
import { createPlanCheck } from './pr-plan-check.js';
import { pollPullRequests, type PullRequestCheck } from './pr-poller.js';
import type { PullRequestHead } from '../report/forge.js';

/**
 * Pull request checks without webhooks (issue 14 §5) as an agent plug-in: on each poll of a
 * Fleet with a forge and pull request checks on, lists its open pull requests and, for each head
 * that changed since it was last checked, plans it against every environment (render, live
 * state, dry-run; never a write), posts `drover/plan/<env>` and edits the one sticky comment.
 * Checked heads live in ConfigMap `drover-pr-checks-<fleet>` in the Fleet's namespace, so a
 * restart does not comment again.
 */
export function createPullRequestPlugin(options: { onChecked?: ((fleet: string, pr: PullRequestHead, checks: readonly PullRequestCheck[]) => void) | undefined } = {}): AgentPlugin {
  let client: KubeClient | undefined;
  return {
    name: 'pull-request-checks',
    start(ctx) {
      client = ctx.client;
    },
    async onPoll(input) {
      const { fleet, reporter } = input;
      if (!reporter || !fleet.spec.pullRequests || !client) return;
      const forgeKind = reporter.forge.kind === ForgeKind.GitLab ? SourceForge.GitLab : reporter.forge.kind === ForgeKind.Gitea ? SourceForge.Gitea : SourceForge.GitHub;
      // The Fleet's own source (cache and credentials) reads the heads.
      const source = { fetchRevision: (ref: string) => input.fetchRevision(ref) };
      const result = await pollPullRequests({
        forge: reporter.forge,
        reportStatuses: (sha, statuses) => reporter.reportStatuses(sha, statuses),
        reportComment: (pr, env, markdown) => reporter.reportPlanComment(pr, env, markdown),
        check: createPlanCheck({ ...input.reconcileDeps, source, forgeKind, knownEnvironments: () => input.config.environments.map((e) => e.name) }),
        store: createConfigMapHeadStore(client, { namespace: fleet.namespace, name: fleet.name }),
        baseRef: fleet.spec.ref,
        log: input.log,
        onChecked: options.onChecked ? (pr, checks) => options.onChecked!(fleet.key, pr, checks) : undefined,
      });
      if (result.checked.length || result.failed.length) input.log.info({ checked: result.checked, failed: result.failed.map((f) => f.number) }, 'pull requests polled');
    },
  };
}
