// The trees of build.test.ts through kubectl kustomize: the expected outputs are still what
// kustomize prints, and kustomize fails where Drover refuses (unless Drover is stricter on purpose).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED, errorCases, features, type Case } from '../../test/support/render-build-cases.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) console.log('render build oracle: kubectl is not on PATH; skipping');

function kustomize(c: Case): { ok: boolean; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drover-render-case-'));
  try {
    for (const [p, content] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    for (const [p, target] of Object.entries(c.symlinks ?? {})) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      symlinkSync(target, join(dir, p));
    }
    const r = spawnSync('kubectl', ['kustomize', join(dir, c.dir ?? '')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!kubectl)('the expected outputs are still what kubectl kustomize prints', () => {
  it.each(features)('$name', (c) => {
    const r = kustomize(c);
    expect(r.stderr && !r.ok ? r.stderr : '').toBe('');
    expect(r.stdout).toBe(EXPECTED[c.name]);
  });
});

describe.skipIf(!kubectl)('kubectl kustomize fails on the same trees (unless Drover is stricter on purpose)', () => {
  it.each(errorCases)('$name', (c) => {
    expect(kustomize(c).ok).toBe(Boolean(c.kustomizeAccepts));
  }, 120_000);
});
