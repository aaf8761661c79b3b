import { describe, expect, it } from 'vitest';
import { ReportError, Retry } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import { isStatusCurrent, type CommitStatus, type PostedStatus } from './commit-status.js';
import { ForgeKind, type Forge } from './forge.js';
import { postStatuses } from './post-statuses.js';

// A forge in memory (statuses appended per SHA, like GitHub's), whose POSTs can be made to land
// and then lose their answer: the case the fault suite found posting a duplicate status.
function memoryForge(options: { loseAnswers: number; failAfterLanding?: boolean }) {
  const posted: CommitStatus[] = [];
  let toLose = options.loseAnswers;
  const forge: Forge = {
    kind: ForgeKind.GitHub,
    id: 'github:memory',
    forgeState: (s) => s,
    isCurrent: (latest, next) => isStatusCurrent(latest, next, (s) => s),
    async getLatestStatuses() {
      const out = new Map<string, PostedStatus>();
      for (const s of posted) out.set(s.context, { context: s.context, forgeState: s.state, description: s.description });
      return out;
    },
    async postStatus(_sha, status) {
      posted.push(status);
      if (toLose > 0) {
        toLose--;
        throw new ReportError('github memory post status: request failed: socket hang up', { retry: Retry.Transient, data: { forge: 'github' } });
      }
    },
    upsertPlanComment: () => Promise.reject(new Error('unused')),
    listOpenPullRequests: () => Promise.resolve([]),
  };
  return { forge, posted };
}

const SHA = '0123456789abcdef0123456789abcdef01234567';
const status: CommitStatus = { state: 'pending', context: 'drover/staging', description: 'staging: applied 1 created' };

describe('postStatuses when a POST gets no answer', () => {
  it('reads the status back and does not post it again when it landed', async () => {
    const { forge, posted } = memoryForge({ loseAnswers: 1 });
    expect(await postStatuses(forge, SHA, [status], { log: silentLogger })).toEqual({ posted: ['drover/staging'], unchanged: [], queued: [] });
    expect(posted).toHaveLength(1);
  });

  it('a 5xx answer is not read back as "maybe landed": it is an answer', async () => {
    const { forge, posted } = memoryForge({ loseAnswers: 0 });
    const failing: Forge = { ...forge, postStatus: () => Promise.reject(new ReportError('HTTP 500', { retry: Retry.Transient, data: { forge: 'github', status: 500 } })) };
    await expect(postStatuses(failing, SHA, [status], { log: silentLogger })).rejects.toThrow('HTTP 500');
    expect(posted).toHaveLength(0);
  });
});
