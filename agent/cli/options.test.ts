import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseFleetCommandOptions, type OptionSources } from './options.js';

const sources = (env: Record<string, string> = {}, files: Record<string, string> = {}): OptionSources => ({
  env: { HOME: '/home/u', ...env },
  cwd: '/work',
  readFile: (p) => {
    const f = files[p];
    if (f === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return f;
  },
});

function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => i.message);
    throw e;
  }
  return [];
}

describe('parseFleetCommandOptions', () => {
  it('applies defaults from the environment', () => {
    const o = parseFleetCommandOptions('plan', ['--repo', 'fleet', '--env', 'staging'], sources({ KUBECONFIG: '/k1:/k2' }), { env: true });
    expect(o).toMatchObject({ repo: 'fleet', env: 'staging', kubeconfig: '/k1', output: 'text', cacheDir: '/home/u/.cache/drover', forcePrune: false, auth: undefined, requestTimeoutMs: 90_000 });
    expect(parseFleetCommandOptions('apply', ['--repo', 'fleet', '--env', 'staging', '--request-timeout', '5'], sources(), { env: true }).requestTimeoutMs).toBe(5000);
  });

  it('reports every invalid flag, not just the first', () => {
    expect(messages(() => parseFleetCommandOptions('plan', ['--output', 'xml', '--pr', 'abc'], sources(), { env: true }))).toEqual([
      'plan: --repo is required',
      'plan: --output Invalid option: expected one of "text"|"markdown"|"json"',
      'plan: --pr must be a pull request number',
      'plan: --env is required',
    ]);
  });

  it('rejects unknown flags with the flag named', () => {
    expect(messages(() => parseFleetCommandOptions('apply', ['--repo', 'x', '--bogus'], sources(), { env: false }))[0]).toMatch(/^apply: Unknown option '--bogus'/);
  });

  it.each([
    [['--token-env', 'GIT_TOKEN'], { GIT_TOKEN: 's3cret' }, {}],
    [['--token-file', 'tok'], {}, { '/work/tok': 's3cret\n' }],
  ])('reads the token from %j without echoing it', (flagsIn, env, files) => {
    const o = parseFleetCommandOptions('render', ['--repo', 'r', ...flagsIn], sources(env, files), { env: false });
    expect(o.auth).toEqual({ username: 'x-access-token', token: 's3cret' });
  });

  it('names a missing credential source without a value', () => {
    expect(messages(() => parseFleetCommandOptions('render', ['--repo', 'r', '--token-env', 'NOPE'], sources(), { env: false }))).toEqual([
      'render: --token-env names NOPE, which is not set',
    ]);
  });

  it.each([
    { name: 'falls back to the git token', flags: ['--token-env', 'GIT_TOKEN'], token: 'git-secret' },
    { name: 'prefers --forge-token-env over the git token', flags: ['--token-env', 'GIT_TOKEN', '--forge-token-env', 'FORGE_TOKEN'], token: 'forge-secret' },
    { name: 'reads --forge-token-file', flags: ['--forge-token-file', 'forge.tok'], token: 'file-secret' },
    { name: 'has none without any token flag', flags: [], token: undefined },
  ])('forge token: $name', ({ flags: extra, token }) => {
    const o = parseFleetCommandOptions('status', ['--repo', 'https://gitea.example/o/r.git', '--env', 'prod', '--report', ...extra], sources({ GIT_TOKEN: 'git-secret', FORGE_TOKEN: 'forge-secret' }, { '/work/forge.tok': 'file-secret\n' }), { env: true });
    expect(o.forgeToken).toBe(token);
    expect(o.report).toBe(true);
  });

  it('takes a forge API root without its trailing slash', () => {
    const o = parseFleetCommandOptions('plan', ['--repo', 'r', '--env', 'e', '--forge', 'github', '--forge-url', 'https://ghe.example.com/api/v3/'], sources(), { env: true });
    expect(o).toMatchObject({ forge: 'github', forgeUrl: 'https://ghe.example.com/api/v3' });
  });

  it('rejects a bad forge URL and two forge token sources together', () => {
    expect(messages(() => parseFleetCommandOptions('status', ['--repo', 'r', '--env', 'e', '--forge-url', 'ftp://x', '--forge-token-env', 'A', '--forge-token-file', 'f'], sources(), { env: true }))).toEqual([
      'status: --forge-url must be an http(s) URL',
      'status: --forge-token-file and --forge-token-env are exclusive',
    ]);
  });

  it('names a missing forge token variable without a value', () => {
    expect(messages(() => parseFleetCommandOptions('status', ['--repo', 'r', '--env', 'e', '--forge-token-env', 'NOPE'], sources(), { env: true }))).toEqual([
      'status: --forge-token-env names NOPE, which is not set',
    ]);
  });

  it('takes git connect, idle and total timeouts in seconds, leaving unset ones to the source', () => {
    expect(parseFleetCommandOptions('apply', ['--repo', 'fleet', '--env', 's'], sources(), { env: true }).gitTimeouts).toEqual({});
    const o = parseFleetCommandOptions('apply', ['--repo', 'fleet', '--env', 's', '--git-connect-timeout', '5', '--git-idle-timeout', '30', '--git-timeout', '900'], sources(), { env: true });
    expect(o.gitTimeouts).toEqual({ connectMs: 5_000, idleMs: 30_000, totalMs: 900_000 });
    expect(messages(() => parseFleetCommandOptions('apply', ['--repo', 'fleet', '--env', 's', '--git-idle-timeout', '0'], sources(), { env: true }))).toEqual(['apply: --git-idle-timeout must be a number of seconds']);
  });
});
