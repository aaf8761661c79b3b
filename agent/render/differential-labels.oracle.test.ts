// Differential test of label stacking: seeded random trees of three layers (base, overlay, env),
// each setting `labels` (with and without includeSelectors, includeTemplates and custom fields)
// and `commonLabels` over the SAME keys, sometimes with `configurations` that add label field
// specs, over every kind kustomize's label tables name (and a CAPI kind they do not). Drover and
// `kubectl kustomize` must agree: the same bytes, or both fail. Skipped when kubectl is absent.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../core/file-tree.js';
import { buildKustomization, formatYamlStream } from './index.js';
import { LABEL_STACK_TOP, randomLabelStack } from '../../test/support/label-stack-generator.js';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
const TOP = LABEL_STACK_TOP;

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) console.log('label stacking differential test: kubectl is not on PATH; skipping (it needs kubectl kustomize as the oracle)');

type Outcome = { ok: true; yaml: string } | { ok: false; message: string };

function renderWithDrover(files: Record<string, string>): Outcome {
  try {
    return { ok: true, yaml: formatYamlStream(buildKustomization(fileTreeFromMap(files), TOP)) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function renderWithKustomize(files: Record<string, string>): Outcome {
  const root = mkdtempSync(join(tmpdir(), 'drover-labels-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const run = spawnSync('kubectl', ['kustomize', TOP], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (run.status === 0) return { ok: true, yaml: run.stdout };
    return { ok: false, message: (run.stderr || String(run.error)).split(root).join('<root>').trim() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function disagreement(drover: Outcome, kustomize: Outcome): string {
  if (!drover.ok && !kustomize.ok) return '';
  if (drover.ok && !kustomize.ok) return `kustomize failed, Drover rendered: ${kustomize.message.split('\n')[0]}`;
  if (!drover.ok && kustomize.ok) return `Drover failed, kustomize rendered: ${drover.message.split('\n')[0]}`;
  if (drover.ok && kustomize.ok && drover.yaml !== kustomize.yaml) {
    const a = drover.yaml.split('\n');
    const b = kustomize.yaml.split('\n');
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return `outputs differ at line ${i + 1}: drover ${JSON.stringify(a[i] ?? '<end>')}, kustomize ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return '';
}

describe.skipIf(!kubectl)('labels and commonLabels stacked over the same keys across layers, against kubectl kustomize', () => {
  it.each(SEEDS)('agrees with kustomize on label stack seed %i', (seed) => {
    const files = randomLabelStack(seed);
    const detail = disagreement(renderWithDrover(files), renderWithKustomize(files));
    expect(detail, `seed ${seed}:\n${Object.entries(files).map(([p, c]) => `# ${p}\n${c}`).join('')}`).toBe('');
  }, 60_000);
});
