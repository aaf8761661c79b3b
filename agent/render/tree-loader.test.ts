import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../core/file-tree.js';
import { LoadError, TreeLoader, isRemoteSpec, realPath } from './tree-loader.js';

const tree = fileTreeFromMap(
  { 'env/prod/kustomization.yaml': 'x', 'env/prod/p.yaml': 'p', 'env/prod/sub/x.yaml': 'x', 'base/kustomization.yaml': 'b', 'base/a.yaml': 'a', 'secret.txt': 's' },
  { symlinks: { 'env/prod/in.yaml': 'p.yaml', 'env/prod/out.yaml': '../../secret.txt', 'env/prod/abs.yaml': '/etc/passwd', 'env/prod/loop': 'loop', 'env/prod/base': '../../base', 'base/up': '..' } },
);
const prod = TreeLoader.at(tree, 'env/prod');

function kindOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof LoadError ? e.kind : 'other';
  }
}

describe('TreeLoader applies kustomize load restrictions to a FileTree', () => {
  it.each([
    ['a file in the kustomization directory', 'p.yaml', 'ok'],
    ['a symlink that stays inside', 'in.yaml', 'ok'],
    ['a file above the directory', '../../secret.txt', 'outside-root'],
    ['a symlink that leaves the directory', 'out.yaml', 'outside-root'],
    ['a symlink to an absolute path', 'abs.yaml', 'absolute'],
    ['an absolute path', '/etc/passwd', 'absolute'],
    ['a path above the repository', '../../../x', 'outside-tree'],
    ['a symlink loop', 'loop', 'symlink-loop'],
    ['a missing file', 'nope.yaml', 'not-found'],
    ['a directory', 'sub', 'not-file'],
    ['an https URL', 'https://example.com/a.yaml', 'remote'],
  ])('load: %s → %s', (_name, path, expected) => {
    expect(kindOf(() => prod.load(path))).toBe(expected);
  });

  it.each([
    ['a base elsewhere in the tree', '../../base', 'ok'],
    ['a symlinked base', 'base', 'ok'],
    ['a base that contains the current directory (cycle)', '..', 'cycle'],
    ['a remote base', 'github.com/org/repo//base?ref=v1', 'remote'],
    ['a file as a base', 'p.yaml', 'not-dir'],
  ])('child: %s → %s', (_name, path, expected) => {
    expect(kindOf(() => prod.child(path))).toBe(expected);
  });

  it('detects a cycle through a base that points back up', () => {
    const base = prod.child('../../base');
    expect(kindOf(() => base.child('up'))).toBe('cycle');
  });

  it('resolves symlinks in every path segment', () => {
    expect(realPath(tree, 'env/prod/base/a.yaml')).toBe('base/a.yaml');
  });

  it.each([
    ['https://github.com/org/repo//dir?ref=v1', true],
    ['git@github.com:org/repo.git', true],
    ['ssh://git@example.com/repo.git', true],
    ['github.com/org/repo/dir', true],
    ['git::https://example.com/repo.git', true],
    ['../base', false],
    ['github-base', false],
  ])('isRemoteSpec(%s) → %s', (spec, expected) => {
    expect(isRemoteSpec(spec)).toBe(expected);
  });
});
