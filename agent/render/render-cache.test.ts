import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileTreeFromMap, type FileTree } from '../core/file-tree.js';
import type { KubeObject } from '../core/kube-object.js';
import { buildKustomization, createRenderer } from './index.js';

const base = {
  'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  metro: am\n',
};
const overlay = (name: string, metro: string): Record<string, string> => ({
  [`clusters/${name}/kustomization.yaml`]: `resources:\n- ../../base\nnamePrefix: ${name}-\npatches:\n- path: patch.yaml\n`,
  [`clusters/${name}/patch.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  metro: ${metro}\n`,
});

/** A content-addressed tree (hashes like git OIDs) that counts file reads. */
function hashedTree(files: Record<string, string>, reads: string[]): FileTree {
  const hashes = new Map<string, string>();
  const dirs = new Map<string, string[]>();
  for (const [path, content] of Object.entries(files)) {
    hashes.set(path, `blob:${content}`);
    const segs = path.split('/');
    for (let i = 0; i < segs.length; i++) {
      const dir = segs.slice(0, i).join('/');
      dirs.set(dir, [...(dirs.get(dir) ?? []), `${path}=${content}`]);
    }
  }
  for (const [dir, entries] of dirs) hashes.set(dir, `tree:${entries.sort().join(';')}`);
  const tree = fileTreeFromMap(files, { hashes });
  return { ...tree, readFile: (p) => (reads.push(p), tree.readFile(p)) };
}

const fleet = (eu2Metro: string): Record<string, string> => ({
  ...base,
  ...overlay('eu-1', 'fr'),
  ...overlay('eu-2', eu2Metro),
  ...overlay('eu-3', 'ny'),
  'env/kustomization.yaml': 'resources:\n- ../clusters/eu-1\n- ../clusters/eu-2\n- ../clusters/eu-3\n',
});

describe('createRenderer', () => {
  it('renders what buildKustomization renders', () => {
    const renderer = createRenderer();
    const tree = hashedTree(fleet('da'), []);
    expect(renderer.build(tree, 'env')).toEqual(buildKustomization(tree, 'env'));
  });

  it('re-reads only what changed between two revisions', () => {
    const renderer = createRenderer();
    const first: string[] = [];
    renderer.build(hashedTree(fleet('da'), first), 'env');
    expect(first).toContain('clusters/eu-1/patch.yaml');

    // The same content at another revision: the whole build is reused, nothing is read.
    const unchanged: string[] = [];
    renderer.build(hashedTree(fleet('da'), unchanged), 'env');
    expect(unchanged).toEqual([]);

    const changed: string[] = [];
    const out = renderer.build(hashedTree(fleet('sv'), changed), 'env');
    expect(changed.sort()).toEqual(['clusters/eu-2/kustomization.yaml', 'clusters/eu-2/patch.yaml', 'env/kustomization.yaml']);
    expect(out.map((o) => [o.metadata.name, (o.data as Record<string, string>).metro])).toEqual([
      ['eu-1-settings', 'fr'],
      ['eu-2-settings', 'sv'],
      ['eu-3-settings', 'ny'],
    ]);
  });

  it('never caches trees without content hashes', () => {
    const renderer = createRenderer();
    const reads: string[] = [];
    const files = fleet('da');
    const plain = fileTreeFromMap(files);
    const counting: FileTree = { ...plain, readFile: (p) => (reads.push(p), plain.readFile(p)) };
    renderer.build(counting, 'env');
    const once = reads.length;
    renderer.build(counting, 'env');
    expect(reads.length).toBe(2 * once);
  });

  it('returns frozen objects, shared between builds of unchanged inputs', () => {
    const renderer = createRenderer();
    const a = renderer.build(hashedTree(fleet('da'), []), 'env');
    expect(() => {
      (a[0]!.data as Record<string, string>).metro = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(a)).toBe(true);
    const b = renderer.build(hashedTree(fleet('da'), []), 'env');
    expect(b).toBe(a);
    expect((b[0]!.data as Record<string, string>).metro).toBe('fr');
  });

  it('rebuilds every environment that reaches a changed base, and only those', () => {
    const files = (baseMetro: string, otherMetro: string): Record<string, string> => ({
      ...fleet('da'),
      'base/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  metro: ${baseMetro}\n  tier: gold\n`,
      'env-b/kustomization.yaml': 'resources:\n- ../clusters/eu-3\n',
      'other/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'other/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  metro: ${otherMetro}\n`,
      'env-c/kustomization.yaml': 'resources:\n- ../other\n',
    });
    const renderer = createRenderer();
    const tier = (objects: readonly KubeObject[]) => objects.map((o) => (o.data as Record<string, string>).tier);
    const before = hashedTree(files('am', 'fr'), []);
    const c0 = renderer.build(before, 'env-c');
    expect(tier(renderer.build(before, 'env'))).toEqual(['gold', 'gold', 'gold']);
    expect(tier(renderer.build(before, 'env-b'))).toEqual(['gold']);

    const changed = files('am', 'fr');
    changed['base/cm.yaml'] = changed['base/cm.yaml']!.replace('gold', 'silver');
    const reads: string[] = [];
    const after = hashedTree(changed, reads);
    expect(tier(renderer.build(after, 'env'))).toEqual(['silver', 'silver', 'silver']);
    expect(tier(renderer.build(after, 'env-b'))).toEqual(['silver']);
    expect(reads).toContain('base/cm.yaml');
    // env-c reaches nothing that changed: the same objects, nothing read for it.
    const readsBefore = reads.length;
    expect(renderer.build(after, 'env-c')).toBe(c0);
    expect(reads.length).toBe(readsBefore);
    for (const env of ['env', 'env-b', 'env-c']) expect(renderer.build(after, env)).toEqual(buildKustomization(after, env));
  });

  it('rebuilds when a file appears in a directory the build read (a probed name, a new patch)', () => {
    const renderer = createRenderer();
    const files = fleet('da');
    renderer.build(hashedTree(files, []), 'env');
    // A second kustomization file beside the first is an error kustomize reports: the cached build must not hide it.
    const withTwo = { ...files, 'clusters/eu-2/kustomization.yml': 'resources: []\n' };
    expect(() => renderer.build(hashedTree(withTwo, []), 'env')).toThrow(/kustomization/i);
    expect(() => buildKustomization(hashedTree(withTwo, []), 'env')).toThrow(/kustomization/i);
  });

  it('never renders stale objects over a series of commits (equal to a build from scratch each time)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ file: fc.constantFrom('base/cm.yaml', 'clusters/eu-1/patch.yaml', 'clusters/eu-2/patch.yaml', 'env/kustomization.yaml', 'clusters/eu-3/kustomization.yaml'), value: fc.constantFrom('am', 'da', 'fr', 'ny') }), { minLength: 1, maxLength: 8 }),
        (commits) => {
          const renderer = createRenderer();
          const files = fleet('da');
          renderer.build(hashedTree(files, []), 'env');
          for (const { file, value } of commits) {
            if (file === 'env/kustomization.yaml') files[file] = value === 'am' ? 'resources:\n- ../clusters/eu-1\n' : fleet('da')[file]!;
            else if (file === 'clusters/eu-3/kustomization.yaml') files[file] = value === 'ny' ? 'resources:\n- ../../base\nnamePrefix: eu-3-\npatches:\n- path: patch.yaml\n' : `resources:\n- ../../base\nnamePrefix: ${value}-\npatches:\n- path: patch.yaml\n`;
            else files[file] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  metro: ${value}\n`;
            const tree = hashedTree(files, []);
            expect(renderer.build(tree, 'env')).toEqual(buildKustomization(tree, 'env'));
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
