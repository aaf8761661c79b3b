import { describe, expect, it } from 'vitest';
import { detectWebhookForge, isTrackedRef, parseWebhookEvent, toDeliveryId } from './webhook-event.js';

const SHA = 'a'.repeat(40);

describe('webhook events', () => {
  it.each([
    [{ 'x-gitea-event': 'push', 'x-github-event': 'push', 'x-gogs-event': 'push' }, 'gitea'],
    [{ 'x-gitlab-event': 'Push Hook' }, 'gitlab'],
    [{ 'x-github-event': 'push' }, 'github'],
    [{}, undefined],
  ])('tells the forge by its event header: %j', (headers, forge) => {
    expect(detectWebhookForge(headers)).toBe(forge);
  });

  it.each([
    ['github', { 'x-github-delivery': 'g-1' }, 'g-1'],
    ['gitea', { 'x-gitea-delivery': 't-1', 'x-github-delivery': 't-1' }, 't-1'],
    ['gitlab', { 'idempotency-key': 'k', 'x-gitlab-webhook-uuid': 'w', 'x-gitlab-event-uuid': 'e' }, 'k'],
    ['gitlab', { 'x-gitlab-webhook-uuid': 'w', 'x-gitlab-event-uuid': 'e' }, 'w'],
    ['gitlab', { 'x-gitlab-event-uuid': 'e' }, 'e'],
    ['github', {}, undefined],
  ] as const)('reads the %s delivery ID from %j', (forge, headers, id) => {
    expect(toDeliveryId(forge, headers)).toBe(id);
  });

  it('reads pushes of each forge', () => {
    expect(parseWebhookEvent('github', 'push', { ref: 'refs/heads/main', after: SHA })).toEqual({ type: 'push', ref: 'refs/heads/main', after: SHA });
    expect(parseWebhookEvent('gitea', 'push', { ref: 'refs/heads/main', before: '0'.repeat(40), after: SHA })).toEqual({ type: 'push', ref: 'refs/heads/main', after: SHA });
    expect(parseWebhookEvent('gitlab', 'Push Hook', { object_kind: 'push', ref: 'refs/heads/main', after: SHA, checkout_sha: SHA })).toEqual({ type: 'push', ref: 'refs/heads/main', after: SHA });
    expect(parseWebhookEvent('gitlab', 'Tag Push Hook', { object_kind: 'tag_push', ref: 'refs/tags/v1', after: SHA })).toMatchObject({ type: 'push', ref: 'refs/tags/v1' });
    expect(parseWebhookEvent('github', 'push', {})).toMatchObject({ type: 'ignored' });
  });

  it('reads pull requests whose head is new, per forge', () => {
    const gh = { action: 'synchronize', number: 7, pull_request: { number: 7, title: 'Resize', head: { sha: SHA, ref: 'resize' }, base: { ref: 'main' } } };
    const pr = { number: 7, headSha: SHA, headRef: 'resize', baseRef: 'main', title: 'Resize' };
    expect(parseWebhookEvent('github', 'pull_request', gh)).toEqual({ type: 'pull-request', action: 'synchronize', pr });
    expect(parseWebhookEvent('gitea', 'pull_request', { ...gh, action: 'synchronized' })).toEqual({ type: 'pull-request', action: 'synchronized', pr });
    for (const action of ['opened', 'reopened']) expect(parseWebhookEvent('github', 'pull_request', { ...gh, action }).type).toBe('pull-request');
    for (const action of ['closed', 'labeled', 'edited']) expect(parseWebhookEvent('github', 'pull_request', { ...gh, action })).toMatchObject({ type: 'ignored' });
    const gl = { object_kind: 'merge_request', object_attributes: { iid: 7, action: 'update', oldrev: 'b'.repeat(40), title: 'Resize', source_branch: 'resize', target_branch: 'main', last_commit: { id: SHA } } };
    expect(parseWebhookEvent('gitlab', 'Merge Request Hook', gl)).toEqual({ type: 'pull-request', action: 'update', pr });
    expect(parseWebhookEvent('gitlab', 'Merge Request Hook', { ...gl, object_attributes: { ...gl.object_attributes, action: 'open', oldrev: undefined } }).type).toBe('pull-request');
    // An update that only edited the title carries no oldrev: no new head.
    expect(parseWebhookEvent('gitlab', 'Merge Request Hook', { ...gl, object_attributes: { ...gl.object_attributes, oldrev: undefined } })).toMatchObject({ type: 'ignored', reason: 'merge request update without new commits' });
    expect(parseWebhookEvent('gitlab', 'Merge Request Hook', { ...gl, object_attributes: { ...gl.object_attributes, action: 'merge' } })).toMatchObject({ type: 'ignored' });
  });

  it('answers ping and ignores other events, saying which', () => {
    expect(parseWebhookEvent('github', 'ping', { zen: 'x' })).toEqual({ type: 'ping' });
    expect(parseWebhookEvent('github', 'issues', {})).toEqual({ type: 'ignored', reason: 'event "issues" is not acted on' });
    expect(parseWebhookEvent('gitlab', 'Note Hook', {})).toEqual({ type: 'ignored', reason: 'event "Note Hook" is not acted on' });
  });

  it.each([
    ['refs/heads/main', 'main', true],
    ['refs/heads/main', 'refs/heads/main', true],
    ['refs/tags/v1', 'v1', true],
    ['refs/heads/mainline', 'main', false],
    ['refs/heads/feature/main', 'main', false],
  ])('pushed %s is the tracked ref %s: %s', (pushed, tracked, yes) => {
    expect(isTrackedRef(pushed, tracked)).toBe(yes);
  });
});
