import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../core/file-tree.js';
import { LoadError, LoadRestrictor, TreeLoader, isRemoteSpec, realPath, type LoadPolicy } from './tree-loader.js';

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

  it.each([
    ['a file above the directory', '../../secret.txt', 'ok'],
    ['a symlink that leaves the directory', 'out.yaml', 'ok'],
    ['a path above the repository', '../../../x', 'outside-tree'],
    ['an absolute path', '/etc/passwd', 'absolute'],
  ])('load with LoadRestrictionsNone in a repository: %s → %s', (_name, path, expected) => {
    const none = TreeLoader.at(tree, 'env/prod', undefined, { restrictor: LoadRestrictor.None, filesystem: false, maxTotalBytes: Infinity });
    expect(kindOf(() => none.load(path))).toBe(expected);
  });

  it('stops a build that reads more bytes in total than its bound', () => {
    const small = TreeLoader.at(tree, 'env/prod', undefined, { restrictor: LoadRestrictor.RootOnly, filesystem: false, maxTotalBytes: 1 });
    expect(kindOf(() => small.load('p.yaml'))).toBe('ok');
    expect(kindOf(() => small.load('sub/x.yaml'))).toBe('over-limit');
  });
});

describe('TreeLoader on a filesystem tree (drover build outside a git work tree)', () => {
  // The tree is rooted at "/": tmp/site/… is /tmp/site/….
  const fsTree = fileTreeFromMap(
    { 'tmp/site/env/kustomization.yaml': 'k', 'tmp/site/env/a.yaml': 'a', 'tmp/site/shared/s.yaml': 's', 'tmp/site/base/kustomization.yaml': 'b', 'etc/passwd': 'root' },
    { symlinks: { 'tmp/site/env/abs-in.yaml': '/tmp/site/env/a.yaml', 'tmp/site/env/abs-out.yaml': '/etc/passwd', 'tmp/site/env/base': '/tmp/site/base', 'tmp/site/env/loop': '/tmp/site/env/loop' } },
  );
  const policy = (restrictor: LoadRestrictor): LoadPolicy => ({ restrictor, filesystem: true, maxTotalBytes: Infinity });
  const env = TreeLoader.at(fsTree, 'tmp/site/env', undefined, policy(LoadRestrictor.RootOnly));
  const envNone = TreeLoader.at(fsTree, 'tmp/site/env', undefined, policy(LoadRestrictor.None));

  it.each([
    ['an absolute path within the directory', '/tmp/site/env/a.yaml', 'ok', 'ok'],
    ['an absolute path outside it', '/etc/passwd', 'outside-root', 'ok'],
    ['a relative path outside it', '../shared/s.yaml', 'outside-root', 'ok'],
    ['".." above "/" stays at "/"', '../../../../../../tmp/site/env/a.yaml', 'ok', 'ok'],
    ['an absolute symlink within the directory', 'abs-in.yaml', 'ok', 'ok'],
    ['an absolute symlink leaving it', 'abs-out.yaml', 'outside-root', 'ok'],
    ['a symlink loop', 'loop', 'symlink-loop', 'symlink-loop'],
    ['an https URL', 'https://example.com/a.yaml', 'remote', 'remote'],
  ])('load: %s → %s (RootOnly), %s (None)', (_name, path, rootOnly, none) => {
    expect(kindOf(() => env.load(path))).toBe(rootOnly);
    expect(kindOf(() => envNone.load(path))).toBe(none);
  });

  it.each([
    ['a base beside the directory', '../base', 'ok'],
    ['a base through an absolute symlink', 'base', 'ok'],
    ['a base far above, through ".." past "/"', '../../../../../tmp/site/base', 'ok'],
    ['an absolute base (kustomize: new root cannot be absolute)', '/tmp/site/base', 'absolute'],
    ['an ancestor (cycle)', '../..', 'cycle'],
  ])('child: %s → %s', (_name, path, expected) => {
    expect(kindOf(() => env.child(path))).toBe(expected);
  });

  it('names paths absolutely in messages, as kustomize does', () => {
    expect(() => env.load('../shared/s.yaml')).toThrow('file "../shared/s.yaml" is not in or below "/tmp/site/env"');
    expect(() => env.load('nope.yaml')).toThrow('"/tmp/site/env/nope.yaml" does not exist');
  });
});
