import { describe, expect, it } from 'vitest';
import { dirNode, fileTreeFromNodes, forEachNode, type TreeNode } from './object-tree.js';

const file = (oid: string, text: string): TreeNode => ({ type: 'file', oid, data: new TextEncoder().encode(text) });

describe('fileTreeFromNodes', () => {
  const shared = dirNode('t-shared', new Map([['kustomization.yaml', file('b1', 'resources: []\n')]]));
  const root = dirNode(
    't-root',
    new Map<string, TreeNode>([
      ['b', shared],
      ['a', shared],
      ['link', { type: 'symlink', oid: 'l1', target: 'a/kustomization.yaml' }],
      ['Z.txt', file('b2', 'z')],
    ]),
  );
  const tree = fileTreeFromNodes(root);

  it('answers stat, readFile, readDir, readLink and hashOf by path', () => {
    expect(tree.readDir('')).toEqual(['Z.txt', 'a', 'b', 'link']);
    expect(tree.stat('./a/')).toEqual({ type: 'dir' });
    expect(new TextDecoder().decode(tree.readFile('b/kustomization.yaml'))).toBe('resources: []\n');
    expect(tree.stat('link')).toEqual({ type: 'symlink' });
    expect(tree.readLink('link')).toBe('a/kustomization.yaml');
    expect(tree.readFile('link')).toBeUndefined();
    expect(tree.hashOf('a')).toBe('t-shared');
    expect(tree.hashOf('')).toBe('t-root');
    expect(tree.stat('a/kustomization.yaml/x')).toBeUndefined();
    expect(tree.readDir('Z.txt')).toBeUndefined();
  });

  it('visits a shared subtree once', () => {
    const seen: string[] = [];
    forEachNode([root], (n) => seen.push(n.oid));
    expect(seen.sort()).toEqual(['b1', 'b2', 'l1', 't-root', 't-shared']);
  });
});
