import { describe, expect, it } from 'vitest';
import { commitUrlPrefix, statusTargetUrl } from './page-urls.js';

describe('statusTargetUrl', () => {
  it.each([
    ['drover/staging/eu-1', 'https://drover.example/fleets/ns/example#cell-ns--example--staging--eu-1'],
    ['drover/staging', 'https://drover.example/fleets/ns/example/environments/staging'],
    ['drover/plan/staging', 'https://drover.example/fleets/ns/example/environments/staging#plans'],
    ['ci/build', undefined],
  ])('links %s to its place on the page', (context, url) => {
    expect(statusTargetUrl('https://drover.example/', 'ns', 'example', context)).toBe(url);
  });
});

describe('commitUrlPrefix', () => {
  it.each([
    [{ kind: 'gitea' as const, baseUrl: 'http://127.0.0.1:3000', owner: 'drover', repo: 'fleet' }, '', 'http://127.0.0.1:3000/drover/fleet/commit/'],
    [{ kind: 'github' as const, apiUrl: 'https://api.github.com', owner: 'o', repo: 'r' }, '', 'https://github.com/o/r/commit/'],
    [{ kind: 'github' as const, apiUrl: 'https://ghe.example/api/v3', owner: 'o', repo: 'r' }, '', 'https://ghe.example/o/r/commit/'],
    [{ kind: 'gitlab' as const, baseUrl: 'https://gitlab.com', project: 'g/sub/p' }, '', 'https://gitlab.com/g/sub/p/-/commit/'],
    [undefined, 'https://github.com/o/r.git', 'https://github.com/o/r/commit/'],
    [undefined, 'http://127.0.0.1:8000/fleet.git', undefined],
  ])('links commits of %j %s', (forge, repo, prefix) => {
    expect(commitUrlPrefix(forge, repo)).toBe(prefix);
  });
});
