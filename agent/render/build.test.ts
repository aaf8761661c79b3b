// Build features over small in-memory trees, one case per kustomization feature and safety rule
// (test/support/render-build-cases.ts). The expected outputs were produced by `kubectl kustomize`
// (kustomize v5.5.0) on the same trees; build.oracle.test.ts re-runs kubectl on them so a stale
// expectation fails. Error cases check Drover's message (where and what).
import { describe, expect, it } from 'vitest';
import { RenderError } from '../core/errors.js';
import { fileTreeFromMap } from '../core/file-tree.js';
import { EXPECTED, errorCases, features, type Case } from '../../test/support/render-build-cases.js';
import { buildKustomization, formatYamlStream } from './index.js';

function build(c: Case): string {
  return formatYamlStream(buildKustomization(fileTreeFromMap(c.files, { symlinks: c.symlinks ?? {} }), c.dir ?? ''));
}

describe('buildKustomization renders like kustomize', () => {
  it.each(features)('$name', (c) => {
    expect(build(c)).toBe(EXPECTED[c.name]);
  });
});

describe('buildKustomization refuses, naming the file, the entry and the problem', () => {
  it.each(errorCases)('$name', (c) => {
    let error: unknown;
    try {
      build(c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderError);
    for (const s of c.contains) expect((error as Error).message).toContain(s);
  });
});
