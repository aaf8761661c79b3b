/** What this replica knows about leadership. */
export const LeaderRole = {
  /** No leader election configured: a single replica, ready as soon as its caches are. */
  None: 'none',
  /** Election configured, first answer not known yet: not ready. */
  Unknown: 'unknown',
  Leader: 'leader',
  Standby: 'standby',
} as const;
export type LeaderRole = (typeof LeaderRole)[keyof typeof LeaderRole];

/**
 * What `/readyz` answers from: named checks (the Fleet watch listed once, the health informers
 * synced, …) and the leader role. Ready when every check passes and the role is known (a
 * standby is ready: it serves, it just does not reconcile). Checks are functions asked at each
 * probe, so a module only says how to tell, never has to remember to report.
 */
export class Readiness {
  private readonly checks = new Map<string, () => boolean | string>();
  private role: LeaderRole = LeaderRole.None;

  /**
   * Adds a check: it returns true when ready, or false / a short reason (`2 informers not
   * synced`) when not. A second check of the same name replaces the first.
   */
  addCheck(name: string, check: () => boolean | string): void {
    this.checks.set(name, check);
  }

  /** The leader elector sets `unknown` when it starts, then `leader` or `standby`. */
  setLeaderRole(role: LeaderRole): void {
    this.role = role;
  }

  get leaderRole(): LeaderRole {
    return this.role;
  }

  /** Ready or not, and each reason it is not. */
  evaluate(): { ready: boolean; waiting: string[] } {
    const waiting: string[] = [];
    for (const [name, check] of this.checks) {
      let answer: boolean | string;
      try {
        answer = check();
      } catch (e) {
        answer = `check failed: ${(e as Error).message}`;
      }
      if (answer !== true) waiting.push(typeof answer === 'string' ? `${name}: ${answer}` : name);
    }
    if (this.role === LeaderRole.Unknown) waiting.push('leader election: role not known yet');
    return { ready: waiting.length === 0, waiting };
  }
}
