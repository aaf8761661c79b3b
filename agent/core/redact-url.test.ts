import { describe, expect, it } from 'vitest';
import { ApplyError, ConfigError, SourceError } from './errors.js';
import { redactLogObject, redactUrlCredentials } from './redact-url.js';

describe('redactUrlCredentials', () => {
  it.each([
    ['https://alice:secret@host/x.git', 'https://[redacted]@host/x.git'],
    ['HTTP://alice:secret@host/x.git', 'HTTP://[redacted]@host/x.git'],
    ['ftp://alice:secret@host/x', 'ftp://[redacted]@host/x'],
    [' https://alice:secret@host/x.git is not a directory', ' https://[redacted]@host/x.git is not a directory'],
    ['/work/HTTP:/alice:secret@host/x.git: no such directory', '/work/HTTP:/[redacted]@host/x.git: no such directory'],
    ['https://alice:pa/ss@host/x.git', 'https://[redacted]@host/x.git'],
    ['https://alice:p@ss@host/x.git', 'https://[redacted]@host/x.git'],
    ['git+ssh://bot:tok@h:22/x', 'git+ssh://[redacted]@h:22/x'],
    ['"https://a:b@h"', '"https://[redacted]@h"'],
    ['https://tok@h/x', 'https://[redacted]@h/x'],
    ['https://h[::1:bad@x/y', 'https://[redacted]@x/y'],
  ])('redacts %s', (text, out) => {
    expect(redactUrlCredentials(text)).toBe(out);
  });

  it.each([
    'https://git.example.com/fleet.git@main fetch failed',
    'http://127.0.0.1:8080/fleet.git@refs/pull/7/head ref not found',
    'Cluster/fleet/eu-1 Invalid: spec.x: user@example.com',
    'git@github.com:org/fleet.git',
  ])('leaves %s alone', (text) => {
    expect(redactUrlCredentials(text)).toBe(text);
  });

  it('redacts every string in a log object, nested ones included', () => {
    const obj = { error: 'HTTP://u:secret@h/x unreachable', n: 1, nested: { list: ['ftp://a:secret@b'] } };
    expect(JSON.stringify(redactLogObject(obj))).not.toContain('secret');
    expect(redactLogObject(obj).n).toBe(1);
  });

  it('is applied to every DroverError message and issue', () => {
    expect(new SourceError('HTTP://alice:secret@host/x.git@main unreachable').message).not.toContain('secret');
    expect(new ApplyError('ftp://u:secret@h/x').message).not.toContain('secret');
    const e = new ConfigError([{ code: 'InvalidFlag', path: [], message: 'apply: --repo https://u:secret@h/x is bad' }]);
    expect(e.message).not.toContain('secret');
    expect(JSON.stringify(e.issues)).not.toContain('secret');
  });
});
