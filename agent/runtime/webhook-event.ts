import type { PullRequestHead } from '../report/forge.js';
import { headerValue, WebhookForge } from './webhook-signature.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What a verified delivery asks of the agent. */
export type WebhookEvent =
  | { readonly type: 'push'; readonly ref: string; readonly after: string | undefined }
  | { readonly type: 'pull-request'; readonly action: string; readonly pr: PullRequestHead }
  | { readonly type: 'ping' }
  | { readonly type: 'ignored'; readonly reason: string };

/**
 * Which forge sent a delivery, by its event header. Gitea also sends GitHub's and Gogs' headers,
 * so its own header is looked at first. Pure.
 */
export function detectWebhookForge(headers: Headers): WebhookForge | undefined {
  if (headerValue(headers, 'x-gitea-event')) return WebhookForge.Gitea;
  if (headerValue(headers, 'x-gitlab-event')) return WebhookForge.GitLab;
  if (headerValue(headers, 'x-github-event')) return WebhookForge.GitHub;
  return undefined;
}

/**
 * The delivery's identity, the same when a forge sends it again: GitHub `X-GitHub-Delivery`,
 * Gitea `X-Gitea-Delivery`, GitLab `Idempotency-Key` (17.4+; kept across retries), else
 * `X-Gitlab-Webhook-UUID` (one per delivery), else `X-Gitlab-Event-UUID`. Pure.
 */
export function toDeliveryId(forge: WebhookForge, headers: Headers): string | undefined {
  if (forge === WebhookForge.GitHub) return headerValue(headers, 'x-github-delivery');
  if (forge === WebhookForge.Gitea) return headerValue(headers, 'x-gitea-delivery');
  return headerValue(headers, 'idempotency-key') ?? headerValue(headers, 'x-gitlab-webhook-uuid') ?? headerValue(headers, 'x-gitlab-event-uuid');
}

/** The event name as the forge's header gives it (`push`, `pull_request`, `Merge Request Hook`). */
export function toEventName(forge: WebhookForge, headers: Headers): string {
  const name = forge === WebhookForge.Gitea ? 'x-gitea-event' : forge === WebhookForge.GitLab ? 'x-gitlab-event' : 'x-github-event';
  return headerValue(headers, name) ?? '';
}

/** Pull request actions that put a new head up for review, per forge. */
const PR_ACTIONS: Readonly<Record<WebhookForge, readonly string[]>> = {
  [WebhookForge.GitHub]: ['opened', 'synchronize', 'reopened'],
  [WebhookForge.Gitea]: ['opened', 'synchronized', 'reopened'],
  [WebhookForge.GitLab]: ['open', 'reopen', 'update'],
};

/**
 * The meaning of a verified delivery (its JSON body already parsed): a push with its full ref, a
 * pull request (merge request) whose head is new, a ping, or something the agent does not act on
 * (with the reason, for the 202 answer). Pure.
 */
export function parseWebhookEvent(forge: WebhookForge, eventName: string, payload: unknown): WebhookEvent {
  const p = (payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  if (forge === WebhookForge.GitLab) {
    if (eventName === 'Push Hook' || eventName === 'Tag Push Hook') {
      const ref = str(p.ref);
      return ref ? { type: 'push', ref, after: str(p.checkout_sha) ?? str(p.after) } : { type: 'ignored', reason: 'push without a ref' };
    }
    if (eventName !== 'Merge Request Hook') return { type: 'ignored', reason: `event ${JSON.stringify(eventName)} is not acted on` };
    const a = obj(p.object_attributes);
    const action = str(a.action) ?? '';
    if (!PR_ACTIONS.gitlab.includes(action)) return { type: 'ignored', reason: `merge request action ${JSON.stringify(action)} is not acted on` };
    // GitLab's `update` covers title and label edits too; only an update with `oldrev` brought new commits.
    if (action === 'update' && !str(a.oldrev)) return { type: 'ignored', reason: 'merge request update without new commits' };
    const number = a.iid;
    const headSha = str(obj(a.last_commit).id);
    if (typeof number !== 'number' || !headSha) return { type: 'ignored', reason: 'merge request without iid or last commit' };
    return { type: 'pull-request', action, pr: { number, headSha, headRef: str(a.source_branch) ?? '', baseRef: str(a.target_branch) ?? '', title: str(a.title) ?? '' } };
  }
  if (eventName === 'ping') return { type: 'ping' };
  if (eventName === 'push') {
    const ref = str(p.ref);
    return ref ? { type: 'push', ref, after: str(p.after) } : { type: 'ignored', reason: 'push without a ref' };
  }
  if (eventName !== 'pull_request') return { type: 'ignored', reason: `event ${JSON.stringify(eventName)} is not acted on` };
  const action = str(p.action) ?? '';
  if (!PR_ACTIONS[forge].includes(action)) return { type: 'ignored', reason: `pull request action ${JSON.stringify(action)} is not acted on` };
  const pr = obj(p.pull_request);
  const number = typeof p.number === 'number' ? p.number : pr.number;
  const head = obj(pr.head);
  const headSha = str(head.sha);
  if (typeof number !== 'number' || !headSha) return { type: 'ignored', reason: 'pull request without number or head sha' };
  return { type: 'pull-request', action, pr: { number, headSha, headRef: str(head.ref) ?? '', baseRef: str(obj(pr.base).ref) ?? '', title: str(pr.title) ?? '' } };
}

/** True when a pushed full ref (`refs/heads/main`, `refs/tags/v1`) is the Fleet's tracked ref (`main`, `v1`, or a full ref). Pure. */
export function isTrackedRef(pushedRef: string, trackedRef: string): boolean {
  if (trackedRef.startsWith('refs/')) return pushedRef === trackedRef;
  return pushedRef === `refs/heads/${trackedRef}` || pushedRef === `refs/tags/${trackedRef}`;
}
