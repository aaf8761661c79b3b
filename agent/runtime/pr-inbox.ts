import type { PullRequestHead } from '../report/forge.js';

/**
 * Pull request heads a webhook announced, per Fleet, waiting for that Fleet's next pass (which
 * the webhook queues at once): the pull request plug-in takes them there and checks each before
 * it polls, inside the Fleet's reconcile, so one Fleet's checks never run concurrently. A newer
 * head of the same pull request replaces the older one.
 */
export class PullRequestInbox {
  private readonly pending = new Map<string, Map<number, PullRequestHead>>();

  add(fleetKey: string, pr: PullRequestHead): void {
    const heads = this.pending.get(fleetKey) ?? new Map<number, PullRequestHead>();
    heads.set(pr.number, pr);
    this.pending.set(fleetKey, heads);
  }

  /** The waiting heads of a Fleet, oldest announcement first; they leave the inbox. */
  take(fleetKey: string): PullRequestHead[] {
    const heads = this.pending.get(fleetKey);
    this.pending.delete(fleetKey);
    return heads ? [...heads.values()] : [];
  }

  forget(fleetKey: string): void {
    this.pending.delete(fleetKey);
  }
}
