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
    expect(o).toMatchObject({ repo: 'fleet', env: 'staging', kubeconfig: '/k1', output: 'text', cacheDir: '/home/u/.cache/drover', forcePrune: false, auth: undefined });
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
});
