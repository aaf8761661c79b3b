import { describe, expect, it } from 'vitest';
import { ReportError } from '../core/errors.js';
import { createForge, forgeSettingsFromRepoUrl } from './create-forge.js';

describe('forgeSettingsFromRepoUrl', () => {
  it.each([
    ['https://github.com/acme/fleet.git', undefined, { kind: 'github', apiUrl: 'https://api.github.com', owner: 'acme', repo: 'fleet' }],
    ['git@github.com:acme/fleet.git', undefined, { kind: 'github', apiUrl: 'https://api.github.com', owner: 'acme', repo: 'fleet' }],
    ['https://ghe.example.com/acme/fleet', 'github', { kind: 'github', apiUrl: 'https://ghe.example.com/api/v3', owner: 'acme', repo: 'fleet' }],
    ['https://gitlab.com/platform/clusters/fleet.git', undefined, { kind: 'gitlab', baseUrl: 'https://gitlab.com', project: 'platform/clusters/fleet' }],
    ['ssh://git@gitlab.example.com:2222/platform/fleet.git', 'gitlab', { kind: 'gitlab', baseUrl: 'https://gitlab.example.com', project: 'platform/fleet' }],
    ['http://127.0.0.1:3000/drover/fleet.git', 'gitea', { kind: 'gitea', baseUrl: 'http://127.0.0.1:3000', owner: 'drover', repo: 'fleet' }],
  ] as const)('%s (%s)', (url, kind, expected) => expect(forgeSettingsFromRepoUrl(url, kind)).toEqual(expected));

  it('asks for the forge kind on an unknown host', () => {
    expect(() => forgeSettingsFromRepoUrl('https://git.example.com/acme/fleet')).toThrow('https://git.example.com: cannot tell which forge serves this host; name it (github, gitlab or gitea)');
  });

  it('never repeats credentials embedded in the URL', () => {
    const err = (() => {
      try {
        forgeSettingsFromRepoUrl('https://bot:s3cr3t-token@github.com/acme', 'github');
      } catch (e) {
        return e as ReportError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ReportError);
    expect(err!.message).not.toContain('s3cr3t-token');
    expect(err!.message).toBe('https://[redacted]@github.com/acme: expected <owner>/<repo> after the host');
  });

  it('builds the adapter of the named kind', () => {
    const forge = createForge(forgeSettingsFromRepoUrl('https://gitlab.com/a/b'), { token: 't', fetch: globalThis.fetch });
    expect(forge.kind).toBe('gitlab');
    expect(forge.id).toBe('gitlab:https://gitlab.com/a/b');
    expect(forge.forgeState('pending')).toBe('running');
  });
});
