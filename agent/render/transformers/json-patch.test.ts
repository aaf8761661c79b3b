import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../yaml/json-form.js';
import { applyJsonPatch, type JsonPatchOp } from './json-patch.js';

const doc: JsonValue = { a: { b: 1, 'x/y': 2, 'm~n': 3 }, list: [1, 2, 3], n: null };

describe('applyJsonPatch follows evanphx/json-patch v4 (what kustomize uses)', () => {
  it.each<[string, JsonPatchOp[], JsonValue]>([
    ['add sets a map key', [{ op: 'add', path: '/a/c', value: 'new' }], { ...doc, a: { b: 1, 'x/y': 2, 'm~n': 3, c: 'new' } }],
    ['add with - appends', [{ op: 'add', path: '/list/-', value: 4 }], { ...doc, list: [1, 2, 3, 4] }],
    ['add at an index inserts', [{ op: 'add', path: '/list/0', value: 0 }], { ...doc, list: [0, 1, 2, 3] }],
    ['add at a negative index counts from the end', [{ op: 'add', path: '/list/-1', value: 9 }], { ...doc, list: [1, 2, 3, 9] }],
    ['~1 and ~0 unescape', [{ op: 'replace', path: '/a/x~1y', value: 'p' }, { op: 'remove', path: '/a/m~0n' }], { ...doc, a: { b: 1, 'x/y': 'p' } }],
    ['remove a list element', [{ op: 'remove', path: '/list/1' }], { ...doc, list: [1, 3] }],
    ['replace of a missing map key adds it (v4 quirk)', [{ op: 'replace', path: '/a/zz', value: 1 }], { ...doc, a: { b: 1, 'x/y': 2, 'm~n': 3, zz: 1 } }],
    ['move', [{ op: 'move', from: '/a/b', path: '/moved' }], { ...doc, a: { 'x/y': 2, 'm~n': 3 }, moved: 1 }],
    ['copy of a missing key copies null (v4 quirk)', [{ op: 'copy', from: '/a/none', path: '/copied' }], { ...doc, copied: null }],
    ['test passes on equal structures', [{ op: 'test', path: '/a', value: { 'm~n': 3, 'x/y': 2, b: 1 } }], doc],
    ['test of a null against null passes', [{ op: 'test', path: '/n', value: null }], doc],
  ])('%s', (_name, ops, expected) => {
    expect(applyJsonPatch(doc, ops)).toEqual(expected);
  });

  it.each<[string, JsonPatchOp[], string]>([
    ['remove of a missing key', [{ op: 'remove', path: '/a/zz' }], 'Unable to remove nonexistent key: zz'],
    ['add under a missing parent', [{ op: 'add', path: '/no/such', value: 1 }], 'add operation does not apply: doc is missing path: "/no/such"'],
    ['replace past the end of a list', [{ op: 'replace', path: '/list/5', value: 1 }], 'replace operation does not apply: doc is missing key: /list/5'],
    ['a failing test', [{ op: 'test', path: '/a/b', value: 2 }], 'testing value /a/b failed'],
    ['an unknown op', [{ op: 'merge', path: '/a' }], 'Unexpected kind: merge'],
    ['a non-number list index', [{ op: 'add', path: '/list/x', value: 1 }], "value was not a proper array index: 'x'"],
  ])('fails on %s', (_name, ops, message) => {
    expect(() => applyJsonPatch(doc, ops)).toThrow(message);
  });

  it('does not change its input', () => {
    const before = JSON.stringify(doc);
    applyJsonPatch(doc, [{ op: 'remove', path: '/list/0' }]);
    expect(JSON.stringify(doc)).toBe(before);
  });
});
