import { describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMA, type OpenApiSchema } from '../data/kind-info.js';
import { OpenApiSchemaError } from '../data/custom-openapi-schema.js';
import { INITIAL_OPENAPI_STATE, nextOpenApiState, useOpenApiState, type CustomOpenApi } from './openapi-config.js';

const customSchema: OpenApiSchema = { roots: { 'x.example.com/v1|Widget': 'Widget' }, definitions: { Widget: { p: { items: { m: ['name'] } } } } };
const custom = (digest = 'abc'): CustomOpenApi => ({ digest, parse: () => customSchema });

describe('nextOpenApiState follows kyaml SetSchema', () => {
  it('a custom path at the top replaces the built-in schema entirely', () => {
    const s = useOpenApiState(nextOpenApiState(INITIAL_OPENAPI_STATE, { path: 's.json' }, custom(), true));
    expect(s.schema).toBe(customSchema);
    expect(s.key).toBe('custom:abc');
  });

  it('a base sets the schema only when nothing set it before (first in load order wins)', () => {
    const top = nextOpenApiState(INITIAL_OPENAPI_STATE, { version: 'v1.21.2' }, undefined, true);
    expect(nextOpenApiState(top, { path: 's.json' }, custom(), false)).toBe(top);
    const fromBase = nextOpenApiState(INITIAL_OPENAPI_STATE, { path: 's.json' }, custom('one'), false);
    expect(nextOpenApiState(fromBase, { path: 't.json' }, custom('two'), false).pending.key).toBe('custom:one');
  });

  it('no field, an empty version or unknown keys leave the setting unset', () => {
    expect(nextOpenApiState(INITIAL_OPENAPI_STATE, undefined, undefined, true)).toBe(INITIAL_OPENAPI_STATE);
    expect(nextOpenApiState(INITIAL_OPENAPI_STATE, { version: '' }, undefined, false)).toBe(INITIAL_OPENAPI_STATE);
    expect(nextOpenApiState(INITIAL_OPENAPI_STATE, { foo: 'bar' }, undefined, false)).toBe(INITIAL_OPENAPI_STATE);
  });

  it.each<[string, Record<string, string>, CustomOpenApi | undefined, RegExp]>([
    ['a version that is not built in', { version: 'v1.30.0' }, undefined, /not built in/],
    ['both a path and a version', { path: 's.json', version: 'v1.21.2' }, custom(), /cannot use both/],
  ])('rejects %s', (_name, field, c, message) => {
    expect(() => nextOpenApiState(INITIAL_OPENAPI_STATE, field, c, true)).toThrow(OpenApiSchemaError);
    expect(() => nextOpenApiState(INITIAL_OPENAPI_STATE, field, c, true)).toThrow(message);
  });
});

describe('useOpenApiState follows kyaml initSchema', () => {
  it('loads the built-in schema by default', () => {
    expect(useOpenApiState(INITIAL_OPENAPI_STATE).schema).toBe(BUILTIN_SCHEMA);
  });

  it('adds a schema set after the built-in one was loaded to it (definitions are never cleared)', () => {
    const builtin = useOpenApiState(INITIAL_OPENAPI_STATE);
    const s = useOpenApiState(nextOpenApiState(builtin, { path: 's.json' }, custom(), false));
    expect(s.schema.roots['apps/v1|Deployment']).toBe(BUILTIN_SCHEMA.roots['apps/v1|Deployment']);
    expect(s.schema.roots['x.example.com/v1|Widget']).toBe('Widget');
    expect(s.key).toBe('builtin+custom:abc');
  });

  it('parses a custom document only when it is used', () => {
    let parsed = 0;
    const lazy: CustomOpenApi = { digest: 'd', parse: () => (parsed++, customSchema) };
    const s = nextOpenApiState(INITIAL_OPENAPI_STATE, { path: 's.json' }, lazy, true);
    expect(parsed).toBe(0);
    useOpenApiState(useOpenApiState(s));
    expect(parsed).toBe(1);
  });
});
