import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseAgentConfig } from './config.js';

describe('parseAgentConfig', () => {
  it('takes flags over the environment over defaults', () => {
    const c = parseAgentConfig(['--concurrency', '8', '--listen', '127.0.0.1:0'], { DROVER_CONCURRENCY: '2', DROVER_NAMESPACE: 'fleets', KUBECONFIG: 'kc:other', HOME: '/home/u' }, '/work');
    expect(c).toMatchObject({ concurrency: 8, namespace: 'fleets', kubeconfig: '/work/kc', listenHost: '127.0.0.1', listenPort: 0, recheckMs: 15_000, inventoryNamespace: 'drover-system', cacheDir: '/home/u/.cache/drover' });
  });
  it('uses the in-cluster service account when no kubeconfig is named in a pod', () => {
    const c = parseAgentConfig([], { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAME: 'drover-7c9' }, '/');
    expect(c).toMatchObject({ kubeconfig: undefined, cacheDir: '/var/cache/drover', identity: 'drover-7c9', listenHost: '0.0.0.0', listenPort: 8080 });
  });
  it('lists every bad flag at once', () => {
    let error: unknown;
    try {
      parseAgentConfig(['--concurrency', '0', '--recheck-interval', 'soon', '--log-level', 'loud'], {}, '/');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.message)).toEqual([
      'agent: --concurrency Too small: expected number to be >=1',
      'agent: --log-level Invalid option: expected one of "trace"|"debug"|"info"|"warn"|"error"|"fatal"|"silent"',
      'agent: --recheck-interval must be a duration of at least 1s such as "15s"',
    ]);
  });
  it('serves the unsharded Fleets and elects a leader by default', () => {
    const c = parseAgentConfig([], { HOME: '/h' }, '/');
    expect(c).toMatchObject({ shard: undefined, selector: '!drover.dev/shard', leaderElection: { leaseName: 'drover-agent-leader', leaseDurationMs: 15_000, renewPeriodMs: 5_000, retryPeriodMs: 2_000 } });
  });
  it('selects one shard by label, with its own leader Lease', () => {
    const c = parseAgentConfig(['--shard', 'eu', '-l', 'team=a', '--leader-lease-duration', '6s', '--leader-renew-period', '2s', '--leader-retry-period', '1s'], { HOME: '/h' }, '/');
    expect(c).toMatchObject({ shard: 'eu', selector: 'drover.dev/shard=eu,team=a', leaderElection: { leaseName: 'drover-agent-leader-eu', leaseDurationMs: 6_000, renewPeriodMs: 2_000, retryPeriodMs: 1_000 } });
    expect(parseAgentConfig([], { HOME: '/h', DROVER_SHARD: 'us', DROVER_LEADER_ELECT: 'false' }, '/')).toMatchObject({ selector: 'drover.dev/shard=us', leaderElection: undefined });
  });
  it('refuses a renewal period the Lease would lapse within', () => {
    expect(() => parseAgentConfig(['--leader-lease-duration', '6s', '--leader-renew-period', '5s'], { HOME: '/h' }, '/')).toThrow(/--leader-renew-period must be under two thirds of --leader-lease-duration/);
    expect(() => parseAgentConfig(['--shard', 'EU'], { HOME: '/h' }, '/')).toThrow(/--shard must be a lowercase DNS label/);
  });
  it('rejects unknown flags', () => {
    expect(() => parseAgentConfig(['--bogus'], {}, '/')).toThrow(/agent: Unknown option '--bogus'/);
  });
  it('takes git and report timeouts from flags or the environment, with the documented defaults', () => {
    expect(parseAgentConfig([], {}, '/')).toMatchObject({ gitTimeouts: { connectMs: 15_000, idleMs: 120_000, totalMs: 600_000 }, reportTimeoutMs: 60_000 });
    const c = parseAgentConfig(['--git-idle-timeout', '30s', '--report-timeout', '2m'], { DROVER_GIT_CONNECT_TIMEOUT: '5s', DROVER_GIT_TIMEOUT: '20m', DROVER_REPORT_TIMEOUT: '10s' }, '/');
    expect(c).toMatchObject({ gitTimeouts: { connectMs: 5_000, idleMs: 30_000, totalMs: 1_200_000 }, reportTimeoutMs: 120_000 });
    expect(() => parseAgentConfig(['--git-timeout', '500ms'], {}, '/')).toThrow(/agent: --git-timeout must be a duration of at least 1s/);
  });
});
