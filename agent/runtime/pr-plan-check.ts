import { isDroverError } from '../core/errors.js';
import { orderEnvironments } from '../fleet/order-environments.js';
import { parseFleetConfig } from '../fleet/parse-fleet-config.js';
import { toPlanErrorStatus } from '../report/commit-status.js';
import type { PullRequestHead } from '../report/forge.js';
import type { GitSource } from '../source/git-source.js';
import { pullRequestRef, type Forge as SourceForge } from '../source/source-ref.js';
import type { PullRequestCheck } from './pr-poller.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileEnvironmentDeps } from '../reconcile/reconcile-environment.js';
import { formatPlanCheckComment, toPlanCheckStatus } from '../reconcile/report-plan.js';

export interface PlanCheckDeps extends ReconcileEnvironmentDeps {
  /** The fleet repository; PR heads are read as `refs/pull/N/head` (GitLab: `refs/merge-requests/N/head`). */
  readonly source: Pick<GitSource, 'fetchRevision'>;
  readonly forgeKind: SourceForge;
  /**
   * The environments of the tracked branch, named in an error status when the head's own
   * `drover.yaml` cannot be read (so the pull request still gets a red check).
   */
  readonly knownEnvironments?: (() => readonly string[]) | undefined;
}

/**
 * The plan check of one pull request head: the head's snapshot, its `drover.yaml`, then a plan
 * (render, live state and server-side dry-run; never a write) of every environment in promotion
 * order, each as its `drover/plan/<env>` status and sticky comment. The same path as
 * `drover plan --pr N --report`.
 */
export function createPlanCheck(deps: PlanCheckDeps): (pr: PullRequestHead) => Promise<PullRequestCheck[]> {
  return async (pr) => {
    const snapshot = await deps.source.fetchRevision(pullRequestRef(pr.number, deps.forgeKind));
    let config;
    try {
      config = parseFleetConfig(snapshot.tree);
    } catch (e) {
      const envs = deps.knownEnvironments?.() ?? [];
      if (!isDroverError(e) || envs.length === 0) throw e;
      const message = `FleetInvalid: ${e.message.split('\n')[0]}`;
      const comment = `### Drover plan for \`${snapshot.revision}\`\n\n> **drover.yaml is invalid**: nothing can be planned from this revision.\n\n\`\`\`\n${e.message.replace(/```/g, "'''")}\n\`\`\`\n`;
      return envs.map((env) => ({ env, status: toPlanErrorStatus(env, message), comment }));
    }
    const checks: PullRequestCheck[] = [];
    for (const environment of orderEnvironments(config)) {
      const outcome = await reconcileEnvironment({ snapshot, config, environment, mode: ReconcileMode.Plan }, deps);
      checks.push({ env: environment.name, status: toPlanCheckStatus(outcome), comment: formatPlanCheckComment(outcome) });
    }
    return checks;
  };
}
