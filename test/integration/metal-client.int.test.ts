// Drover's Equinix Metal client and provider against the local Metal server, whose every
// request and answer is checked against the Metal OpenAPI description from the equinix-sdk-go
// Go module (test/support/metal/metal-contract.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../agent/core/errors.js';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { MetalClient } from '../../agent/providers/metal/metal-client.js';
import { createMetalProvider } from '../../agent/providers/metal/metal-provider.js';
import { startMetalApiServer, type DeviceFixture, type MetalApiServer } from '../support/metal/metal-api-server.js';

const TOKEN = 'metal-token-that-must-never-appear-0123456789';
const PROJECT = '5b2e4f0c-8a7d-4c61-9e3f-2d1a6b7c8e90';
const OTHER = '0f7a8b9c-1d2e-4f30-8a4b-5c6d7e8f9a0b';
let metal: MetalApiServer;

const device = (n: number, state: DeviceFixture['state'], cluster = 'ams-stg-1'): DeviceFixture => ({
  id: `7d0c5e3a-0000-4000-8000-${String(n).padStart(12, '0')}`,
  project: PROJECT,
  hostname: `${cluster}-${n}`,
  state,
  tags: [`capp:cluster-id:${cluster}`, `capp:machine-uid:${cluster}-machine-${n}`],
  created_at: '2026-11-25T07:00:00Z',
  metro: 'am',
  plan: 'c3.small.x86',
});

beforeAll(async () => {
  metal = await startMetalApiServer({ token: TOKEN, projects: [PROJECT], devices: [1, 2, 3, 4, 5].map((n) => device(n, 'active')).concat([device(6, 'failed', 'other')]) });
});
afterAll(async () => {
  await metal?.close();
  expect(metal.contract.violations).toEqual([]);
});

function client(extra: Partial<ConstructorParameters<typeof MetalClient>[0]> = {}): MetalClient {
  return new MetalClient({ baseUrl: metal.url, token: TOKEN, fetch, sleep: async () => {}, ...extra });
}

describe('MetalClient against the local Metal server', () => {
  it('reads plans with prices, metros and operating systems', async () => {
    const c = client();
    const plans = await c.listProjectPlans(PROJECT);
    expect(plans.map((p) => [p.slug, p.pricing?.hour])).toContainEqual(['c3.small.x86', 0.75]);
    expect((await c.listPlans()).length).toBe(plans.length);
    expect((await c.listMetros()).map((m) => m.code)).toContain('am');
    expect((await c.listOperatingSystems()).map((o) => o.slug)).toContain('ubuntu_22_04');
  });

  it('follows pagination of devices by project and tag', async () => {
    const before = metal.requests.length;
    const devices = await client({ perPage: 2 }).listProjectDevices(PROJECT, { tag: 'capp:cluster-id:ams-stg-1' });
    expect(devices.map((d) => d.hostname)).toEqual(['ams-stg-1-1', 'ams-stg-1-2', 'ams-stg-1-3', 'ams-stg-1-4', 'ams-stg-1-5']);
    expect(metal.requests.slice(before).map((r) => r.query)).toEqual([
      '?page=1&per_page=2&tag=capp%3Acluster-id%3Aams-stg-1',
      '?page=2&per_page=2&tag=capp%3Acluster-id%3Aams-stg-1',
      '?page=3&per_page=2&tag=capp%3Acluster-id%3Aams-stg-1',
    ]);
  });

  it('checks metro capacity with quantities as strings', async () => {
    metal.capacity.am!['m3.large.x86'] = 2;
    const answers = await client().checkMetroCapacity([
      { metro: 'am', plan: 'm3.large.x86', quantity: '3' },
      { metro: 'am', plan: 'c3.small.x86', quantity: '3' },
    ]);
    expect(answers.map((a) => a.available)).toEqual([false, true]);
  });

  it('sends X-Auth-Token and backs off on 429 as Retry-After says', async () => {
    const waits: number[] = [];
    metal.throttleNext(2, 3);
    const metros = await client({ sleep: async (ms) => void waits.push(ms) }).listMetros();
    expect(metros.length).toBeGreaterThan(0);
    expect(waits).toEqual([3000, 3000]);
    expect(metal.requests.at(-1)!.headers['x-auth-token']).toBe(TOKEN);
  });

  it('names the endpoint and the object in every error, never the token', async () => {
    const errors: ProviderError[] = [];
    const catchIt = (p: Promise<unknown>) => p.catch((e: ProviderError) => void errors.push(e));
    await catchIt(client().listProjectPlans(OTHER));
    await catchIt(client({ token: 'wrong' }).listProjectDevices(PROJECT, { tag: 'capp:cluster-id:eu-1' }));
    metal.throttleNext(4, 0);
    await catchIt(client().getDevice('7d0c5e3a-0000-4000-8000-000000000001'));
    expect(errors.map((e) => e.message)).toEqual([
      `equinix-metal GET /projects/${OTHER}/plans (plans of project ${OTHER}): 404 Not Found: Not found`,
      `equinix-metal GET /projects/${PROJECT}/devices (devices of project ${PROJECT} tagged capp:cluster-id:eu-1): 401 Unauthorized: Invalid authentication token`,
      'equinix-metal GET /devices/7d0c5e3a-0000-4000-8000-000000000001 (device 7d0c5e3a-0000-4000-8000-000000000001): 429 Too Many Requests: Too many requests, slow down',
    ]);
    expect(errors.every((e) => e instanceof ProviderError)).toBe(true);
    expect(errors.map((e) => e.retry)).toEqual(['terminal', 'terminal', 'transient']);
    expect(JSON.stringify(errors.map((e) => [e.message, e.data]))).not.toContain(TOKEN);
  });

  it('answers undefined for a device that does not exist', async () => {
    expect(await client().getDevice('7d0c5e3a-0000-4000-8000-000000000999')).toBeUndefined();
  });
});

describe('the Metal provider against the local Metal server', () => {
  const template = (machineType: string, os = 'ubuntu_22_04', metro?: string): KubeObject => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'PacketMachineTemplate',
    metadata: { name: 'ams-stg-1-md-0-v2', namespace: 'fleet-staging' },
    spec: { template: { spec: { machineType, os, billingCycle: 'hourly', ...(metro ? { metro } : {}) } } },
  });
  const packetCluster: KubeObject = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketCluster', metadata: { name: 'ams-stg-1', namespace: 'fleet-staging' }, spec: { projectID: PROJECT, metro: 'amx' } };

  it('blocks unknown machine types, operating systems and metros, naming the field and close matches', async () => {
    const provider = createMetalProvider({ client: client(), projectId: PROJECT });
    const findings = await provider.validate([template('c3.smal.x86', 'ubuntu_24_4', 'fx'), packetCluster]);
    expect(findings.map((f) => [f.severity, f.code, f.message])).toEqual([
      ['block', 'unknown-machine-type', `PacketMachineTemplate/fleet-staging/ams-stg-1-md-0-v2 spec.template.spec.machineType: "c3.smal.x86" is not a plan of project ${PROJECT}; close matches: "c3.small.x86", "m3.small.x86", "c3.medium.x86"`],
      ['block', 'unknown-operating-system', 'PacketMachineTemplate/fleet-staging/ams-stg-1-md-0-v2 spec.template.spec.os: "ubuntu_24_4" is not a Metal operating system; close matches: "ubuntu_24_04", "ubuntu_20_04", "ubuntu_22_04"'],
      ['block', 'unknown-location', 'PacketMachineTemplate/fleet-staging/ams-stg-1-md-0-v2 spec.template.spec.metro: "fx" is not a Metal metro; close matches: "fr"'],
      ['block', 'unknown-location', 'PacketCluster/fleet-staging/ams-stg-1 spec.metro: "amx" is not a Metal metro; close matches: "am"'],
    ]);
  });

  it('caches what it read for its lifetime (one reconcile)', async () => {
    const provider = createMetalProvider({ client: client(), projectId: PROJECT });
    const before = metal.requests.length;
    await provider.validate([template('c3.small.x86')]);
    await provider.validate([template('m3.small.x86')]);
    await provider.price({ type: 'm3.small.x86', location: 'fr' });
    expect(metal.requests.slice(before).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /metal/v1/locations/metros',
      'GET /metal/v1/operating-systems',
      `GET /metal/v1/projects/${PROJECT}/plans`,
    ]);
  });

  it('prices per metro when the plan has a metro price', async () => {
    const provider = createMetalProvider({ client: client(), projectId: PROJECT });
    expect(await provider.price({ type: 'm3.small.x86', location: 'fr' })).toEqual({ perHour: 1.15, currency: 'USD' });
    expect(await provider.price({ type: 'm3.small.x86', location: 'am' })).toEqual({ perHour: 1.05, currency: 'USD' });
    expect(await provider.price({ type: 'nope', location: 'am' })).toBeUndefined();
  });

  it('reports a device state by cluster tag and machine, and by provider id', async () => {
    const provider = createMetalProvider({ client: client(), projectId: PROJECT });
    const machine = (name: string, providerID?: string, cluster = 'ams-stg-1'): KubeObject => ({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'PacketMachine',
      metadata: { name, namespace: 'fleet-staging', labels: { 'cluster.x-k8s.io/cluster-name': cluster } },
      spec: providerID ? { providerID } : {},
    });
    expect(await provider.machineDetails(machine('ams-stg-1-machine-2'))).toEqual({ id: '7d0c5e3a-0000-4000-8000-000000000002', state: 'active', phase: 'ready', createdAt: '2026-11-25T07:00:00Z' });
    expect(await provider.machineDetails(machine('x', 'equinixmetal://7d0c5e3a-0000-4000-8000-000000000006', 'gone'))).toMatchObject({ state: 'failed', phase: 'failed' });
    expect(await provider.machineDetails(machine('nothing-yet'))).toBeUndefined();
  });
});
