// Golden render cases: test/golden/render/<case>/ (layout in test/golden/render/golden-cases.ts).
// Expected renders were produced by `kubectl kustomize` (test/golden/render/regenerate.ts); the
// expected error texts (errors.txt) are Drover's own wording, reviewed and written with `vitest -u`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderError } from '../core/errors.js';
import { buildKustomization, defaultBuildOptions, formatYamlStream, LoadRestrictor } from './index.js';
import { loadDirectoryTree, openDirectoryTree } from './load-directory.js';
import {
  HAS_PRLIMIT,
  digestOf,
  hasKubectl,
  listGoldenCases,
  materializeCase,
  runKustomize,
  type GoldenCase,
  type GoldenTarget,
} from '../../test/golden/render/golden-cases.js';

const cases = listGoldenCases();
const good = cases.filter((c) => !c.bad).flatMap((c) => c.targets.map((t) => ({ c, t, label: `${c.name}/${t.name}` })));
const bad = cases.filter((c) => c.bad).map((c) => ({ c, t: c.targets[0]!, label: c.name }));
const kubectl = hasKubectl();
/** Generated big cases (a 3 MiB CRD, a 16 MiB document) take seconds to build and print on a busy machine. */
const TIMEOUT = 180_000;
/**
 * Bad cases where Drover is known to fall short of the golden (see test/golden/render/MISMATCHES.md),
 * with the reason. They run as expected failures.
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {};
if (!kubectl) console.log('golden render: kubectl is not on PATH; skipping the checks that re-run kubectl kustomize');

/**
 * Renders one target of a (materialized) case with Drover: the value, or the error thrown. A case
 * with build-args.txt is built as `drover build` builds outside a git work tree (the filesystem
 * as the tree, read lazily), its error text with the case directory shown as `<case>`.
 */
async function renderWithDrover(caseDir: string, t: GoldenTarget, c: GoldenCase): Promise<{ yaml: string } | { error: unknown }> {
  try {
    if (c.buildArgs === undefined) {
      const tree = loadDirectoryTree(join(caseDir, 'fleet'));
      return { yaml: formatYamlStream(buildKustomization(tree, t.dir)) };
    }
    const none = c.buildArgs.join(' ').includes(LoadRestrictor.None);
    const options = { ...defaultBuildOptions(), filesystem: true, loadRestrictor: none ? LoadRestrictor.None : LoadRestrictor.RootOnly };
    const dir = join(caseDir, 'fleet', t.dir).slice(1);
    return { yaml: formatYamlStream(buildKustomization(openDirectoryTree('/'), dir, options)) };
  } catch (error) {
    if (c.buildArgs !== undefined && error instanceof Error) error.message = error.message.split(caseDir).join('<case>').split(caseDir.slice(1)).join('<case>');
    return { error };
  }
}

/** The expected output of a target: the committed render, or the digest of a generated one. */
function expectedOf(c: GoldenCase, t: GoldenTarget): { file: string; of: (yaml: string) => string } {
  const digest = join(c.path, `${t.name}.sha256`);
  if (existsSync(digest)) return { file: digest, of: digestOf };
  return { file: join(c.path, `${t.name}.yaml`), of: (yaml) => yaml };
}

async function withCase<T>(c: GoldenCase, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const copy = materializeCase(c);
  try {
    return await fn(copy.dir);
  } finally {
    copy.cleanup();
  }
}

describe('golden render cases (expected output from kubectl kustomize)', () => {
  it('has the cases the suite promises', () => {
    expect(good.length).toBeGreaterThanOrEqual(40);
    expect(bad.length).toBeGreaterThanOrEqual(20);
  });

  it.each(good)('renders $label exactly as kustomize does', async ({ c, t }) => {
    const out = await withCase(c, (dir) => renderWithDrover(dir, t, c));
    if ('error' in out) throw out.error;
    const expected = expectedOf(c, t);
    await expect(expected.of(out.yaml)).toMatchFileSnapshot(expected.file);
  }, TIMEOUT);

  it.skipIf(!kubectl).each(good)('still matches kubectl kustomize on $label (golden not stale)', ({ c, t }) => {
    const run = withCaseSync(c, (dir) => runKustomize(dir, t.dir, 120_000, c.buildArgs));
    expect(run.stderr && !run.ok ? run.stderr : '').toBe('');
    const expected = expectedOf(c, t);
    expect(expected.of(run.stdout)).toBe(readFileSync(expected.file, 'utf8'));
  }, TIMEOUT);
});

describe('golden error cases (expected error text in errors.txt)', () => {
  for (const { c, t, label } of bad) {
    // A known gap runs as an expected failure, so that its fix shows up (then drop it from KNOWN_GAPS).
    const test = c.name in KNOWN_GAPS ? it.fails : it;
    test(`fails on ${label} with the golden error text${c.name in KNOWN_GAPS ? ` (known gap: ${KNOWN_GAPS[c.name]})` : ''}`, async () => {
      const out = await withCase(c, (dir) => renderWithDrover(dir, t, c));
      if (!('error' in out)) throw new Error(`expected a RenderError, but Drover rendered:\n${out.yaml.slice(0, 2000)}`);
      const error = out.error;
      expect(error).toBeInstanceOf(RenderError);
      const issues = (error as RenderError).issues;
      expect(issues.length).toBeGreaterThan(0);
      // The message names where: a file of the tree (kustomization or the file at fault).
      expect((error as Error).message).toMatch(/kustomization|Kustomization|\.ya?ml|\.json|\.env|\.sh/);
      await expect(`${(error as Error).message}\n`).toMatchFileSnapshot(join(c.path, 'errors.txt'));
    }, TIMEOUT);
  }

  it.skipIf(!kubectl).each(bad)('agrees with kubectl kustomize on $label (kustomize fails too)', ({ c, t }) => {
    if (c.name === 'bad-alias-bomb' && !HAS_PRLIMIT) {
      console.log('golden render: prlimit is missing; not running kustomize on the alias bomb (it would take gigabytes)');
      return;
    }
    const accepts = existsSync(join(c.path, 'kustomize-accepts.txt'));
    const run = withCaseSync(c, (dir) => runKustomize(dir, t.dir, 120_000, c.buildArgs));
    // kustomize-accepts.txt marks a documented, deliberate divergence (a Drover safety limit).
    expect(run.ok ? 'kustomize succeeded' : 'kustomize failed').toBe(accepts ? 'kustomize succeeded' : 'kustomize failed');
  }, TIMEOUT);
});

function withCaseSync<T>(c: GoldenCase, fn: (dir: string) => T): T {
  const copy = materializeCase(c);
  try {
    return fn(copy.dir);
  } finally {
    copy.cleanup();
  }
}
