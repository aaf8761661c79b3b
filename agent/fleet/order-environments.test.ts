import { describe, expect, it } from 'vitest';
import { FleetError } from '../core/errors.js';
import { defaultPrunePolicy, type EnvironmentConfig } from './fleet-config.js';
import { findEnvironmentCycle, orderEnvironments } from './order-environments.js';

const env = (name: string, after: string[] = []): EnvironmentConfig => ({ name, path: `environments/${name}`, namespace: undefined, after, prune: defaultPrunePolicy, provisioningTimeoutSeconds: 1800, allow: { namespaces: [], clusterScoped: [] } });
const order = (...envs: EnvironmentConfig[]): string[] => orderEnvironments({ file: 'drover.yaml', environments: envs }).map((e) => e.name);

describe('orderEnvironments', () => {
  it.each([
    ['keeps declaration order when nothing waits', [env('a'), env('b'), env('c')], ['a', 'b', 'c']],
    ['puts an environment after the one it names, even when declared first', [env('prod', ['staging']), env('staging')], ['staging', 'prod']],
    ['waits for every environment in a list', [env('prod', ['staging', 'qa']), env('qa', ['dev']), env('staging'), env('dev')], ['staging', 'dev', 'qa', 'prod']],
    ['ignores names of environments that do not exist (validation reports them)', [env('prod', ['nope']), env('staging')], ['prod', 'staging']],
  ])('%s', (_, envs, expected) => {
    expect(order(...envs)).toEqual(expected);
  });

  it('throws a FleetError naming the cycle', () => {
    expect(() => order(env('a', ['c']), env('b', ['a']), env('c', ['b']))).toThrow(FleetError);
    expect(() => order(env('a', ['a']))).toThrow('drover.yaml environments: promotion cycle: a → a');
  });
});

describe('findEnvironmentCycle', () => {
  it('returns the cycle from its first repeated name', () => {
    const after: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['b'] };
    expect(findEnvironmentCycle(['a', 'b', 'c'], (n) => after[n] ?? [])).toEqual(['b', 'c', 'b']);
    expect(findEnvironmentCycle(['a'], () => [])).toBeUndefined();
  });
});
