import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../../core/file-tree.js';
import { generateConfigMap, generateSecret } from './generators.js';
import { contentHash } from './hash-suffix.js';
import { toJsonValue } from '../yaml/json-form.js';
import { TreeLoader } from '../kustomization/tree-loader.js';

const loader = TreeLoader.at(
  fileTreeFromMap({
    'k/kustomization.yaml': '',
    'k/e.env': '\ufeffFIRST=1\n  # comment\n\nexport X=2\nQUOTED="kept"\r\nEMPTY\n=skipped\nSPACES=  a b  \n\ufeffB=bom kept\n',
    'k/bin.dat': new Uint8Array([0, 255, 1]),
  }),
  'k',
);

describe('configMapGenerator and secretGenerator', () => {
  it('reads env files like kustomize: first-line BOM dropped, left-trimmed lines, values verbatim', () => {
    const r = generateConfigMap({ name: 'e', envs: ['e.env'] }, undefined, loader, 'k/kustomization.yaml');
    expect(toJsonValue(r.obj)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'e' },
      data: { FIRST: '1', 'export X': '2', QUOTED: '"kept"', EMPTY: '', SPACES: '  a b  ', '\ufeffB': 'bom kept' },
    });
  });

  it('unquotes literal values and puts non-UTF-8 file content in binaryData', () => {
    const r = generateConfigMap({ name: 'l', literals: ['A="x y"', "B='z'", 'C=a=b'], files: ['bin.dat'] }, undefined, loader, '');
    expect(toJsonValue(r.obj)).toMatchObject({ data: { A: 'x y', B: 'z', C: 'a=b' }, binaryData: { 'bin.dat': 'AP8B' } });
  });

  it.each([
    ['a literal without =', { literals: ['NOPE'] }, 'invalid literal source NOPE'],
    ['a repeated key', { literals: ['A=1', 'A=2'] }, 'illegally repeats the key `A`'],
    ['a file key with two =', { files: ['a=b=c'] }, "key name or file path contains '='"],
    ['a missing name', { name: '' }, 'must have a name'],
  ])('rejects %s', (_name, entry, message) => {
    expect(() => generateConfigMap({ name: 'g', ...entry }, undefined, loader, '')).toThrow(message);
  });

  // kubectl kustomize prints these names for the same generators.
  it.each<[{ name: string; literals: string[] }, 'configmap' | 'secret', string]>([
    [{ name: 'c', literals: ['A=1'] }, 'configmap', 'c-89g4tffbfk'],
    [{ name: 'settings', literals: ['METRO=am', 'CLUSTER=c0001'] }, 'configmap', 'settings-hftgd6khk6'],
    [{ name: 's', literals: ['password=p'] }, 'secret', 's-8g2kt6cc2c'],
  ])('hashes %o like kustomize', (entry, kind, expected) => {
    const r = kind === 'secret' ? generateSecret(entry, undefined, loader, '') : generateConfigMap(entry, undefined, loader, '');
    expect(`${entry.name}-${contentHash(r)}`).toBe(expected);
  });
});
