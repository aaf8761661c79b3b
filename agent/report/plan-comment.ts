import { redactUrlCredentials } from '../core/redact-url.js';

/** The sticky plan comment: one per pull request and environment, found again by a hidden marker. Pure. */

/** `<!-- drover:plan:<env> -->`: invisible in rendered markdown, unique per environment. */
export function planCommentMarker(env: string): string {
  return `<!-- drover:plan:${env} -->`;
}

/** The comment body: the marker on its own first line, then the plan's markdown. */
export function formatPlanComment(env: string, markdown: string): string {
  return `${planCommentMarker(env)}\n${redactUrlCredentials(markdown.trimEnd())}\n`;
}

export interface ForgeComment {
  readonly id: number | string;
  readonly body: string;
}

/** The oldest comment carrying the environment's marker; Drover edits that one in place. */
export function findPlanComment<C extends ForgeComment>(comments: readonly C[], env: string): C | undefined {
  const marker = planCommentMarker(env);
  return comments.find((c) => c.body.includes(marker));
}
