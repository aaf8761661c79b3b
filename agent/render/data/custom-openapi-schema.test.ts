import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../yaml/json-form.js';
import { OpenApiSchemaError, toCustomOpenApiSchema } from './custom-openapi-schema.js';
import { isClusterScoped, schemaElements, schemaField, schemaForType, withLoadedScopes } from './kind-info.js';

const gvk = (group: string, version: string, kind: string): JsonValue => [{ group, version, kind }];

const doc: JsonValue = {
  definitions: {
    'v1.Pool': {
      type: 'object',
      'x-kubernetes-group-version-kind': gvk('infra.example.com', 'v1', 'Pool'),
      properties: { spec: { $ref: '#/definitions/v1.PoolSpec' } },
    },
    'v1.PoolSpec': {
      type: 'object',
      properties: {
        disks: { type: 'array', items: { $ref: '#/definitions/v1.Disk' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
        taints: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-list-map-keys': ['key', 'effect'] },
        zones: { type: 'array', items: { type: 'string' }, 'X-Kubernetes-Patch-Strategy': 'merge' },
        plain: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'name' },
        labels: { type: 'object', additionalProperties: { $ref: '#/definitions/v1.Disk' } },
      },
    },
    'v1.Disk': { type: 'object', properties: { name: { type: 'string' } } },
    'v1.Single': { 'x-kubernetes-group-version-kind': { group: 'infra.example.com', version: 'v1', kind: 'Single' } },
    'v1.Core': { 'x-kubernetes-group-version-kind': gvk('', 'v1', 'Core') },
  },
};

describe('toCustomOpenApiSchema reads merge keys as kyaml does', () => {
  const api = toCustomOpenApiSchema(doc);
  const spec = schemaField(api, schemaForType(api, 'infra.example.com/v1', 'Pool'), 'spec');

  it.each<[string, readonly string[] | undefined]>([
    ['disks', ['name']],
    ['taints', ['key', 'effect']],
    ['zones', []],
    ['plain', undefined],
  ])('list %s merges by %j', (field, keys) => {
    expect(schemaField(api, spec, field)?.m).toEqual(keys);
  });

  it('follows $ref into list items and additionalProperties', () => {
    expect(schemaElements(api, schemaField(api, spec, 'disks'))?.p).toHaveProperty('name');
    expect(schemaField(api, schemaField(api, spec, 'labels'), 'anything')?.p).toHaveProperty('name');
  });

  it('indexes kinds only from a list-valued x-kubernetes-group-version-kind; the core group has no prefix', () => {
    expect(Object.keys(api.roots).sort()).toEqual(['infra.example.com/v1|Pool', 'v1|Core']);
  });

  it.each<[string, JsonValue, RegExp]>([
    ['a document that is a list', ['a'], /expected an OpenAPI v2 document/],
    ['definitions that are a list', { definitions: ['a'] }, /definitions: expected a mapping/],
    ['a definition that is a number', { definitions: { x: 5 } }, /definitions\.x: expected a schema object, got 5/],
    ['a type that is a number', { definitions: { x: { type: 5 } } }, /definitions\.x\.type: expected a string or a list of strings/],
    ['additionalProperties that are a string', { definitions: { x: { additionalProperties: 'yes' } } }, /definitions\.x\.additionalProperties: expected a schema or a boolean/],
    ['properties that are a list', { definitions: { x: { properties: [] } } }, /definitions\.x\.properties: expected a mapping/],
  ])('rejects %s', (_name, bad, message) => {
    expect(() => toCustomOpenApiSchema(bad)).toThrow(OpenApiSchemaError);
    expect(() => toCustomOpenApiSchema(bad)).toThrow(message);
  });

  it('reads kind scopes from the GET operations of paths: namespaced wins, list-form kinds are not read', () => {
    const get = (kind: string, list = false): JsonValue => ({ get: { 'x-kubernetes-group-version-kind': list ? gvk('x.dev', 'v1', kind) : { group: 'x.dev', version: 'v1', kind } } });
    const withPaths = toCustomOpenApiSchema({
      paths: {
        '/apis/x.dev/v1/namespaces/{namespace}/ns/{name}': get('Ns'),
        '/apis/x.dev/v1/cs/{name}': get('Cs'),
        '/apis/x.dev/v1/both/{name}': get('Both'),
        '/apis/x.dev/v1/namespaces/{namespace}/both/{name}': get('Both'),
        '/apis/x.dev/v1/listed/{name}': get('Listed', true),
        '/apis/x.dev/v1/posted': { post: { 'x-kubernetes-group-version-kind': { group: 'x.dev', version: 'v1', kind: 'Posted' } } },
      },
      definitions: {},
    });
    expect(withPaths.scopes).toEqual({ 'x.dev/v1|Ns': true, 'x.dev/v1|Cs': false, 'x.dev/v1|Both': true });
    expect(isClusterScoped('x.dev/v1', 'Cs')).toBe(false);
    withLoadedScopes(() => withPaths.scopes, () => {
      expect(['Ns', 'Cs', 'Both', 'Listed', 'Posted'].filter((k) => isClusterScoped('x.dev/v1', k))).toEqual(['Cs']);
      expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    });
  });
});
