import { describe, expect, it } from 'vitest';
import { findSamples, parsePromText, sumSamples } from '../../test/support/prom-text.js';
import { AgentMetrics, WebhookResult } from './metrics.js';
import { Readiness, LeaderRole } from './readiness.js';

describe('AgentMetrics', () => {
  it('exposes every drover_ family under Prometheus naming rules, parseable by a strict parser', async () => {
    const m = new AgentMetrics({ processMetrics: false });
    m.recordReconcile({ fleet: 'ns/f', environment: 'staging', result: 'ready', reason: 'Succeeded', seconds: 0.3 });
    m.recordApplyObjects('ns/f', 'staging', { created: 3, unchanged: 7, deleted: 1, skipped: undefined });
    m.recordDrift('ns/f', 'staging', 2);
    m.setClusterHealth('ns/f', 'staging', { success: 2, pending: 1, failure: 0, error: 0 });
    m.recordGitRequest({ fleet: 'ns/f', operation: 'fetch-pack', result: 'ok', seconds: 0.2, bytes: 4096 });
    m.recordForgeRequest('gitea', 201);
    m.recordForgeRequest('gitea', undefined);
    m.setOutboxDepth('ns/f', 3);
    m.recordOutboxDropped('ns/f', 'refused');
    m.recordWebhookDelivery('gitea', WebhookResult.Accepted);
    m.recordWebhookDelivery('bitbucket', WebhookResult.Unauthorized);
    m.setLeader(true);
    m.recordKubeRequest('apply');
    const { body, contentType } = await m.expose();
    expect(contentType).toContain('text/plain');
    const fams = parsePromText(body);
    for (const f of fams.values()) {
      expect(f.name).toMatch(/^drover_[a-z_]+$/);
      if (f.type === 'counter') expect(f.name).toMatch(/_total$/);
      else expect(f.name).not.toMatch(/_total$/);
      expect(f.help.length).toBeGreaterThan(10);
    }
    expect(fams.get('drover_reconcile_duration_seconds')?.type).toBe('histogram');
    expect(sumSamples(fams, 'drover_reconcile_duration_seconds_count', { fleet: 'ns/f', environment: 'staging', reason: 'Succeeded' })).toBe(1);
    expect(sumSamples(fams, 'drover_reconcile_total', { result: 'ready' })).toBe(1);
    expect(sumSamples(fams, 'drover_apply_objects_total', { action: 'created' })).toBe(3);
    expect(findSamples(fams, 'drover_apply_objects_total', { action: 'skipped' })).toEqual([]);
    expect(sumSamples(fams, 'drover_drift_detected_total')).toBe(2);
    expect(sumSamples(fams, 'drover_cluster_health', { state: 'pending' })).toBe(1);
    expect(sumSamples(fams, 'drover_git_fetch_bytes_total', { operation: 'fetch-pack' })).toBe(4096);
    expect(sumSamples(fams, 'drover_forge_requests_total', { forge: 'gitea', result: '2xx' })).toBe(1);
    expect(sumSamples(fams, 'drover_forge_requests_total', { forge: 'gitea', result: 'error' })).toBe(1);
    expect(sumSamples(fams, 'drover_outbox_depth')).toBe(3);
    expect(sumSamples(fams, 'drover_outbox_dropped_total', { reason: 'refused' })).toBe(1);
    expect(sumSamples(fams, 'drover_webhook_deliveries_total', { forge: 'other', result: 'unauthorized' })).toBe(1);
    expect(sumSamples(fams, 'drover_leader_election_leader')).toBe(1);
    expect(sumSamples(fams, 'drover_kube_requests_total', { verb: 'apply' })).toBe(1);
    expect(findSamples(fams, 'drover_kube_requests_total', { verb: 'watch' })).toEqual([{ name: 'drover_kube_requests_total', labels: { verb: 'watch' }, value: 0 }]);
  });

  it('a Fleet that leaves takes its series with it; others stay', async () => {
    const m = new AgentMetrics({ processMetrics: false });
    for (const fleet of ['ns/a', 'ns/b']) {
      m.setClusterHealth(fleet, 'prod', { success: 1, pending: 0, failure: 0, error: 0 });
      m.recordReconcile({ fleet, environment: 'prod', result: 'ready', reason: 'Succeeded', seconds: 1 });
      m.setOutboxDepth(fleet, 1);
    }
    m.forgetFleet('ns/a');
    const fams = parsePromText((await m.expose()).body);
    for (const name of ['drover_cluster_health', 'drover_reconcile_total', 'drover_reconcile_duration_seconds_count', 'drover_outbox_depth']) {
      expect(findSamples(fams, name, { fleet: 'ns/a' })).toEqual([]);
      expect(findSamples(fams, name, { fleet: 'ns/b' }).length).toBeGreaterThan(0);
    }
  });

  it('process metrics come under their standard names', async () => {
    const fams = parsePromText((await new AgentMetrics().expose()).body);
    expect(fams.has('process_resident_memory_bytes') || fams.has('process_cpu_seconds_total')).toBe(true);
  });
});

describe('parsePromText', () => {
  it('rejects what Prometheus would reject', () => {
    expect(() => parsePromText('x 1')).toThrow(/newline/);
    expect(() => parsePromText('x 1\n')).toThrow(/no TYPE/);
    expect(() => parsePromText('# TYPE x gauge\nx{a="1"} one\n')).toThrow(/bad value/);
    expect(() => parsePromText('# TYPE x gauge\nx{1a="1"} 1\n')).toThrow(/label name/);
    expect(() => parsePromText('# TYPE x gauge\nx 1\nx 2\n')).toThrow(/twice/);
    expect(() => parsePromText('# TYPE x gauge\n# TYPE y gauge\ny 1\nx 1\n')).toThrow(/not together|again/);
    expect(() => parsePromText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
    expect(() => parsePromText('# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n')).toThrow(/Inf/);
  });

  it('reads escapes, +Inf and timestamps', () => {
    const f = parsePromText('# HELP x a \\\\ b\n# TYPE x gauge\nx{a="q\\"\\n"} +Inf 1700000000\n');
    expect(f.get('x')).toEqual({ name: 'x', type: 'gauge', help: 'a \\ b', samples: [{ name: 'x', labels: { a: 'q"\n' }, value: Infinity }] });
  });
});

describe('Readiness', () => {
  it('ready when every check passes and the leader role is known', () => {
    const r = new Readiness();
    let synced = false;
    r.addCheck('fleet watch', () => synced || 'not listed yet');
    expect(r.evaluate()).toEqual({ ready: false, waiting: ['fleet watch: not listed yet'] });
    synced = true;
    expect(r.evaluate().ready).toBe(true);
    r.setLeaderRole(LeaderRole.Unknown);
    expect(r.evaluate()).toEqual({ ready: false, waiting: ['leader election: role not known yet'] });
    r.setLeaderRole(LeaderRole.Standby);
    expect(r.evaluate().ready).toBe(true);
    r.addCheck('broken', () => {
      throw new Error('boom');
    });
    expect(r.evaluate().waiting).toEqual(['broken: check failed: boom']);
  });
});
