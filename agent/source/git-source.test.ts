import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../core/errors.js';
import { createGitSource } from './git-source.js';

const http = { request: () => Promise.reject(new Error('no network in unit tests')) };

describe('createGitSource', () => {
  it('keeps credentials out of the repository name and the cache path', () => {
    const src = createGitSource({ url: 'https://bot:tok-123456@git.example.com/org/fleet.git', cacheDir: '/nonexistent/cache', fs, http });
    expect(src.repo).toBe('https://git.example.com/org/fleet.git');
    expect(src.gitdir).not.toContain('tok-123456');
    expect(src.gitdir).not.toContain('bot');
  });

  it('refuses a non-http URL without echoing its credentials', () => {
    let err: unknown;
    try {
      createGitSource({ url: 'ssh://bot:tok-123456@git.example.com/org/fleet.git', cacheDir: '/nonexistent', fs, http });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe('ssh://git.example.com/org/fleet.git invalid repository URL: only http(s) URLs are supported');
  });

  it('rejects an invalid ref before any I/O', async () => {
    const src = createGitSource({ url: 'https://git.example.com/fleet.git', cacheDir: '/nonexistent', fs, http });
    await expect(src.fetchRevision('a..b')).rejects.toThrow('https://git.example.com/fleet.git@a..b invalid ref: expected a branch, tag, full commit SHA or pull request ref');
  });
});
