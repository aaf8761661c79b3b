import { ApiException, HttpMethod, PatchStrategy, RequestContext } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ApplyError } from '../core/errors.js';
import { strictFieldValidation, toApplyError } from './kube-client.js';

// Response bodies as kube-apiserver 1.36 sends them.
describe('toApplyError', () => {
  it('names the object, the reason and the fields from V1Status causes', () => {
    const e = toApplyError(
      new ApiException(422, 'Unsuccessful HTTP Request', {
        kind: 'Status',
        status: 'Failure',
        message: 'KubeadmConfigTemplate.bootstrap.cluster.x-k8s.io "t" is invalid: spec.template.spec: Invalid value: 0: spec.template.spec in body should have at least 1 properties',
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0', field: 'spec.template.spec' }, { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.other' }] },
        code: 422,
      }, {}),
      'KubeadmConfigTemplate/ns/t',
    );
    expect(e).toBeInstanceOf(ApplyError);
    expect(e.message).toBe(
      'KubeadmConfigTemplate/ns/t Invalid: KubeadmConfigTemplate.bootstrap.cluster.x-k8s.io "t" is invalid: spec.template.spec: Invalid value: 0: spec.template.spec in body should have at least 1 properties (spec.other: Required value)',
    );
    expect(e.retry).toBe('terminal');
    expect(e.data.causes).toHaveLength(2);
  });

  it('turns a strict field validation failure into Invalid with the field path', () => {
    const e = toApplyError(
      new ApiException(500, 'Unsuccessful HTTP Request', {
        kind: 'Status',
        status: 'Failure',
        message: 'failed to create typed patch object (ns/md; cluster.x-k8s.io/v1beta2, Kind=MachineDeployment): .spec.bogus: field not declared in schema',
        code: 500,
      }, {}),
      'MachineDeployment/ns/md',
    );
    expect(e.message).toBe('MachineDeployment/ns/md Invalid: spec.bogus: field not declared in schema');
    expect(e.retry).toBe('terminal');
  });

  it.each([
    [409, 'Conflict', [], 'transient'],
    [409, 'Conflict', [{ reason: 'FieldManagerConflict', field: '.spec.replicas', message: 'conflict with "kubectl"' }], 'terminal'],
    [429, 'TooManyRequests', [], 'transient'],
    [503, 'ServiceUnavailable', [], 'transient'],
    [404, 'NotFound', [], 'terminal'],
  ])('HTTP %i %s is %s', (code, reason, causes, retry) => {
    const e = toApplyError(new ApiException(code, 'x', { kind: 'Status', reason, message: 'm', details: { causes } }, {}), 'ConfigMap/ns/c');
    expect(e.retry).toBe(retry);
    expect(e.message.startsWith(`ConfigMap/ns/c ${reason}: m`)).toBe(true);
  });

  it('marks network failures transient', () => {
    const e = toApplyError(new Error('connect ECONNREFUSED 127.0.0.1:6443'), 'Cluster/ns/c');
    expect(e.message).toBe('Cluster/ns/c request failed: connect ECONNREFUSED 127.0.0.1:6443');
    expect(e.retry).toBe('transient');
  });
});

describe('strictFieldValidation middleware', () => {
  it.each([
    [HttpMethod.PATCH, PatchStrategy.ServerSideApply, true],
    [HttpMethod.PATCH, PatchStrategy.MergePatch, false],
    [HttpMethod.GET, undefined, false],
    [HttpMethod.DELETE, 'application/json', false],
  ])('%s with %s gets fieldValidation=Strict: %s', async (method, contentType, strict) => {
    const ctx = new RequestContext('https://127.0.0.1:6443/apis/cluster.x-k8s.io/v1beta2/namespaces/ns/clusters/c?fieldManager=drover', method);
    if (contentType) ctx.setHeaderParam('Content-Type', contentType);
    const out = await strictFieldValidation().pre(ctx);
    expect(new URL(out.getUrl()).searchParams.get('fieldValidation')).toBe(strict ? 'Strict' : null);
    expect(new URL(out.getUrl()).searchParams.get('fieldManager')).toBe('drover');
  });
});
