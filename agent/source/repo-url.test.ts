import { describe, expect, it } from 'vitest';
import { parseRepoUrl } from './repo-url.js';

describe('parseRepoUrl', () => {
  it('strips userinfo, query and trailing slash, and keeps the credentials apart', () => {
    const r = parseRepoUrl('https://bot:s3cr%40t@git.example.com/org/fleet.git/?x=1#y')!;
    expect(r.url).toBe('https://git.example.com/org/fleet.git');
    expect(r.credentials).toEqual({ username: 'bot', password: 's3cr@t' });
    expect(r.cacheName).toMatch(/^git\.example\.com-org-fleet-[0-9a-f]{8}$/);
    expect(JSON.stringify(r)).not.toContain('bot:');
  });

  it('gives the same cache directory with or without credentials, and different ones per repository', () => {
    expect(parseRepoUrl('http://u:p@h:8080/a.git')!.cacheName).toBe(parseRepoUrl('http://h:8080/a.git')!.cacheName);
    expect(parseRepoUrl('http://h/a.git')!.cacheName).not.toBe(parseRepoUrl('http://h/b.git')!.cacheName);
  });

  it.each(['git@github.com:org/fleet.git', 'ssh://git@h/x', 'file:///tmp/x', 'not a url'])('refuses %s', (url) => {
    expect(parseRepoUrl(url)).toBeUndefined();
  });
});
