import { describe, expect, it } from 'vitest';
import { redactLogRecord, redactSecretText } from './redact-log.js';

describe('redactLogRecord', () => {
  it('masks secret-looking keys at any depth, keeps what only names a Secret', () => {
    const rec = {
      fleet: 'ns/f',
      forge: { kind: 'gitea', token: 'tok-1', nested: { deeper: { password: 'pw-1', giteaToken: 'tok-2', webhookSecret: 'wh-1' } } },
      secret: { data: { token: 'dG9r' }, stringData: { password: 'pw-2' } },
      headers: { Authorization: 'Basic YWxpY2U6cHc=', Cookie: 'session=abc', 'Private-Token': 'gl-1' },
      tokenSecretRef: { name: 'forge', key: 'token' },
      secretRef: { name: 'git' },
      retries: 2,
      stale: true,
    };
    const out = JSON.stringify(redactLogRecord(rec));
    for (const s of ['tok-1', 'pw-1', 'tok-2', 'wh-1', 'dG9r', 'pw-2', 'YWxpY2U6cHc=', 'session=abc', 'gl-1']) expect(out).not.toContain(s);
    expect(out).toContain('"tokenSecretRef":{"name":"forge","key":"[redacted]"}'.replace('"[redacted]"', '"token"'));
    expect(out).toContain('"secretRef":{"name":"git"}');
    expect(out).toContain('"retries":2');
  });

  it('masks credentials inside strings: URL userinfo, Authorization headers, bearer tokens; an Error becomes its masked message', () => {
    expect(redactSecretText('GET https://bob:hunter2@git.example/x.git failed')).not.toContain('hunter2');
    expect(redactSecretText('request had Authorization: Basic Ym9iOmh1bnRlcjI= and failed')).toBe('request had Authorization: Basic [redacted] and failed');
    expect(redactSecretText('{"authorization":"token 0123456789abcdef"}')).not.toContain('0123456789abcdef');
    expect(redactSecretText('sent Bearer eyJhbGciOiJIUzI1NiJ9.x.y')).toBe('sent Bearer [redacted]');
    expect(redactSecretText('PRIVATE-TOKEN=glpat-abcdefgh')).not.toContain('glpat');
    expect(redactLogRecord({ error: new Error('clone http://u:p4ss@h/x failed') })).toEqual({ error: 'clone http://[redacted]@h/x failed' });
    expect(redactSecretText('forge token Secret ns/forge has no key token')).toBe('forge token Secret ns/forge has no key token');
  });
});
