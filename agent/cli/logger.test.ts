import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON lines with tokens, Authorization headers, Secret data and URL userinfo masked, in bindings and messages too', () => {
    let out = '';
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (out += c.toString()));
    const log = createLogger('debug', stream).child({ repo: 'https://bob:hunter2@git.example/x.git' });
    log.info({ token: 'tok-1', forge: { client: { token: 'tok-2' } }, req: { headers: { authorization: 'Basic Ym9iOmh1bnRlcjI=' } }, secret: { data: { token: 'c2VjcmV0' } } }, 'forge request');
    log.warn({ error: new Error('fetch http://u:p4ss@h/x.git: Authorization: Bearer abcdefgh12345678 refused') }, 'source not read');
    log.error({}, 'fetch https://alice:s3cr3t@h/x failed');
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const s of ['hunter2', 'tok-1', 'tok-2', 'Ym9iOmh1bnRlcjI=', 'c2VjcmV0', 'p4ss', 'abcdefgh12345678', 's3cr3t']) expect(out).not.toContain(s);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'forge request', repo: 'https://[redacted]@git.example/x.git' });
  });
});
