import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import type { MetalClient } from './metal-client.js';
import { createMetalProvider, priceOf, toPhase } from './metal-provider.js';

const metros = [{ id: 'm-am', code: 'am' }, { id: 'm-fr', code: 'fr' }];
const plans = [{ slug: 'm3.small.x86', pricing: { hour: 1.05 }, available_in_metros: [{ href: '/metal/v1/locations/metros/m-fr', price: { hour: 1.15 } }, { href: '/metal/v1/locations/metros/m-am' }] }];

describe('Metal provider pure parts', () => {
  it.each([
    ['fr', { perHour: 1.15, currency: 'USD' }],
    ['am', { perHour: 1.05, currency: 'USD' }],
    ['sg', { perHour: 1.05, currency: 'USD' }],
  ])('prices m3.small.x86 in %s from the metro price, else the plan price', (location, expected) => {
    expect(priceOf(plans, metros, { type: 'm3.small.x86', location })).toEqual(expected);
  });

  it('has no price for an unknown plan', () => {
    expect(priceOf(plans, metros, { type: 'x', location: 'am' })).toBeUndefined();
  });

  it.each([
    ['queued', 'pending'],
    ['provisioning', 'pending'],
    ['active', 'ready'],
    ['failed', 'failed'],
    ['inactive', 'stopped'],
    ['powering_off', 'stopped'],
    ['deprovisioning', 'deleting'],
    ['reinstalling', 'pending'],
  ])('maps device state %s to phase %s', (state, phase) => {
    expect(toPhase(state)).toBe(phase);
  });

  it('takes the machine type from the template and the metro from the template or its PacketCluster', () => {
    const provider = createMetalProvider({ client: {} as MetalClient });
    const template = (metro?: string): KubeObject => ({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketMachineTemplate', metadata: { name: 't' }, spec: { template: { spec: { machineType: 'c3.small.x86', os: 'ubuntu_22_04', ...(metro ? { metro } : {}) } } } });
    const cluster: KubeObject = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketCluster', metadata: { name: 'c' }, spec: { metro: 'am' } };
    expect(provider.toMachineShape(template(), cluster)).toEqual({ type: 'c3.small.x86', location: 'am' });
    expect(provider.toMachineShape(template('fr'), cluster)).toEqual({ type: 'c3.small.x86', location: 'fr' });
    expect(provider.toMachineShape(template(), undefined)).toBeUndefined();
  });
});
