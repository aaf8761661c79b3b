import { describe, expect, it } from 'vitest';
import { sourceIdentity } from './source-identity.js';

describe('sourceIdentity', () => {
  it('names one repository alike whatever the scheme, credentials, case of the host or .git suffix', () => {
    const ids = ['https://git.example/acme/fleet.git', 'http://alice:secret@GIT.example/acme/fleet', 'https://git.example/acme/fleet/', 'ssh://git@git.example/acme/fleet.git'].map((u) => sourceIdentity(u));
    expect(new Set(ids)).toEqual(new Set(['git.example/acme/fleet:drover.yaml']));
  });

  it('keeps the port, the path and the fleet file apart, and never a password', () => {
    expect(sourceIdentity('https://git.example:3000/acme/fleet.git')).toBe('git.example:3000/acme/fleet:drover.yaml');
    expect(sourceIdentity('https://git.example/acme/other.git')).not.toBe(sourceIdentity('https://git.example/acme/fleet.git'));
    expect(sourceIdentity('https://git.example/acme/fleet.git', 'clusters/drover.yaml')).toBe('git.example/acme/fleet:clusters/drover.yaml');
    expect(sourceIdentity('https://u:hunter2@git.example/a.git')).not.toContain('hunter2');
  });

  it('is undefined for a local directory or something that is no repository URL', () => {
    expect(sourceIdentity('./fleet-example')).toBeUndefined();
    expect(sourceIdentity('/srv/fleet')).toBeUndefined();
    expect(sourceIdentity('file:///srv/fleet')).toBeUndefined();
  });
});
