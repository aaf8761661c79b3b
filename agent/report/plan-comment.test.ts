import { describe, expect, it } from 'vitest';
import { findPlanComment, formatPlanComment, planCommentMarker } from './plan-comment.js';

describe('sticky plan comment', () => {
  it('starts the body with the hidden marker of its environment', () => {
    expect(formatPlanComment('prod', '### Plan for prod\n- eu-1: pool md-0 3 → 5\n\n')).toBe('<!-- drover:plan:prod -->\n### Plan for prod\n- eu-1: pool md-0 3 → 5\n');
  });

  it('finds the oldest comment of the environment and ignores other environments and people', () => {
    const comments = [
      { id: 1, body: 'LGTM' },
      { id: 2, body: `${planCommentMarker('prod-eu')}\nother env` },
      { id: 3, body: `${planCommentMarker('prod')}\nfirst` },
      { id: 4, body: `${planCommentMarker('prod')}\nduplicate` },
    ];
    expect(findPlanComment(comments, 'prod')?.id).toBe(3);
    expect(findPlanComment(comments, 'staging')).toBeUndefined();
  });
});
