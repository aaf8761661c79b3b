import { describe, expect, it } from 'vitest';
import { fileTreeFromMap, type FileTree } from '../core/file-tree.js';
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

    const unchanged: string[] = [];
    renderer.build(hashedTree(fleet('da'), unchanged), 'env');
    expect(unchanged).toEqual(['env/kustomization.yaml']);

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

  it('returns objects the caller may change without affecting later builds', () => {
    const renderer = createRenderer();
    const tree = hashedTree(fleet('da'), []);
    const a = renderer.build(tree, 'env');
    (a[0]!.data as Record<string, string>).metro = 'changed';
    expect((renderer.build(tree, 'env')[0]!.data as Record<string, string>).metro).toBe('fr');
  });
});
