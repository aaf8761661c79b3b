import { describe, expect, it } from 'vitest';
import { Forge, parseSourceRef, pullRequestRef } from './source-ref.js';

const sha = 'a'.repeat(40);

describe('parseSourceRef', () => {
  it.each([
    ['main', ['refs/heads/main', 'refs/tags/main'], 'main'],
    ['release/1.2', ['refs/heads/release/1.2', 'refs/tags/release/1.2'], 'release/1.2'],
    ['heads/main', ['refs/heads/main'], 'main'],
    ['tags/v1.0.0', ['refs/tags/v1.0.0'], 'v1.0.0'],
    ['refs/heads/main', ['refs/heads/main'], 'refs/heads/main'],
    ['refs/pull/7/head', ['refs/pull/7/head'], 'refs/pull/7/head'],
    ['pull/7', ['refs/pull/7/head'], 'refs/pull/7/head'],
    ['pull/7/head', ['refs/pull/7/head'], 'refs/pull/7/head'],
    ['merge-requests/12', ['refs/merge-requests/12/head'], 'refs/merge-requests/12/head'],
    ['refs/merge-requests/12/head', ['refs/merge-requests/12/head'], 'refs/merge-requests/12/head'],
    ['HEAD', ['HEAD'], 'HEAD'],
  ])('reads %s as a ref', (input, candidates, display) => {
    expect(parseSourceRef(input)).toEqual({ kind: 'ref', candidates, display });
  });

  it('reads a full SHA as an exact commit', () => {
    expect(parseSourceRef(sha)).toEqual({ kind: 'commit', sha, display: sha });
  });

  it.each(['', 'a b', 'x..y', 'x~1', 'HEAD^', 'a:b', '/main', 'main/', 'main.lock', '.hidden', 'a/.b', 'a//b', '@', 'x@{1}'])('rejects %j', (input) => {
    expect(parseSourceRef(input)).toBeUndefined();
  });
});

describe('pullRequestRef', () => {
  it.each([
    [Forge.GitHub, 'refs/pull/3/head'],
    [Forge.Gitea, 'refs/pull/3/head'],
    [Forge.GitLab, 'refs/merge-requests/3/head'],
  ])('gives the %s head ref', (forge, ref) => {
    expect(pullRequestRef(3, forge)).toBe(ref);
  });
  it('refuses a non-positive number', () => {
    expect(() => pullRequestRef(0, Forge.GitHub)).toThrow(RangeError);
  });
});
