import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'drover-redact-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const logStream = new PassThrough();
  logStream.on('data', (c: Buffer) => (out += c.toString()));
  const io = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    logStream,
    env: { DROVER_LOG_LEVEL: 'debug', HOME: cacheDir, FORGE_TOKEN: 'forge-tok-1' },
    cwd: cacheDir,
  };
  const code = await main(args, io);
  return { code, out };
}

// Port 1 on loopback refuses at once: a git URL fails fast, and nothing leaves the machine.
describe('credentials in --repo never reach the output (issue 8 #6)', () => {
  it.each([
    ['an uppercase scheme', 'HTTP://alice:s3cr3t-pw@127.0.0.1:1/x.git'],
    ['another scheme', 'ftp://alice:s3cr3t-pw@127.0.0.1:1/x.git'],
    ['a leading space', ' https://alice:s3cr3t-pw@127.0.0.1:1/x.git'],
    ['an unparsable URL', 'http://alice:s3cr3t-pw@[not-a-host/x.git'],
    ['a password with a slash', 'https://alice:s3cr3t/pw@127.0.0.1:1/x.git'],
    ['a mixed-case scheme with only a token', 'HtTpS://s3cr3t-pw@127.0.0.1:1/x.git'],
  ])('%s', async (_name, repo) => {
    for (const extra of [[], ['--report', '--forge', 'gitea', '--forge-token-env', 'FORGE_TOKEN']]) {
      for (const command of ['render', 'plan', 'apply']) {
        const { code, out } = await run([command, '--repo', repo, '--env', 'staging', '--cache-dir', cacheDir, ...(command === 'render' ? [] : extra)]);
        expect(code).toBe(1);
        expect(out).not.toContain('s3cr3t');
        expect(out).toMatch(/invalid repository URL|unreachable|not a repository URL|after the host/);
      }
    }
  }, 60_000);
});
