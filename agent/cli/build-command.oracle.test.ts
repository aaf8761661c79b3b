// `drover build DIR` against `kubectl kustomize DIR` on trees under the temporary directory, built
// from other directories (a git work tree, "/"): same stdout, and failing where kustomize fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuild } from './build-command.js';

const kubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
const root = realpathSync(mkdtempSync(join(tmpdir(), 'drover-build-oracle-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
}

write({
  'shared/base/kustomization.yaml': 'resources:\n- cluster.yaml\n- cm.yaml\n',
  'shared/base/cluster.yaml': 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: workload\nspec:\n  topology:\n    class: quick-start\n    version: v1.33.2\n',
  'shared/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  on: "yes"\n',
  'shared/common/patch.yaml': 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata:\n  name: workload\nspec:\n  topology:\n    version: v1.34.0\n',
  'fleet/overlays/prod/kustomization.yaml': 'resources:\n- ../../../shared/base\nnamePrefix: prod-\nnamespace: prod\nlabels:\n- pairs:\n    env: prod\n',
  'fleet/overlays/linked/kustomization.yaml': 'resources:\n- base\ncommonAnnotations:\n  owner: fleet\n',
  'fleet/overlays/none/kustomization.yaml': 'resources:\n- ../../../shared/base\npatches:\n- path: ../../../shared/common/patch.yaml\n',
  'fleet/overlays/missing/kustomization.yaml': 'resources:\n- ../../../shared/nope\n',
});
symlinkSync('../../../shared/base', join(root, 'fleet/overlays/linked/base'));

async function drover(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runBuild(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, logStream: process.stderr, env: {}, cwd });
  return { code, stdout };
}

function kustomize(args: string[]): { code: number; stdout: string } {
  const r = spawnSync('kubectl', ['kustomize', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.status === 0 ? r.stdout : '' };
}

describe.skipIf(!kubectl)('drover build equals kubectl kustomize on trees outside a git work tree', () => {
  const cwds = [
    ['the project checkout (a git work tree)', process.cwd()],
    ['/', '/'],
  ];
  it.each([
    ['bases outside the tree through ../', ['fleet/overlays/prod']],
    ['a base through a symlink leaving the tree', ['fleet/overlays/linked']],
    ['a patch above the kustomization, LoadRestrictionsRootOnly (fails)', ['fleet/overlays/none']],
    ['a patch above the kustomization, LoadRestrictionsNone', ['fleet/overlays/none', '--load-restrictor', 'LoadRestrictionsNone']],
    ['a missing base (fails)', ['fleet/overlays/missing']],
  ])('%s', async (_name, [dir, ...flags]) => {
    const expected = kustomize([join(root, dir!), ...flags]);
    for (const [, cwd] of cwds) {
      const arg = cwd === '/' ? relative('/', join(root, dir!)) : join(root, dir!);
      const got = await drover([arg, ...flags], cwd!);
      expect({ code: got.code === 0 ? 0 : 1, stdout: got.stdout }).toEqual({ code: expected.code === 0 ? 0 : 1, stdout: expected.stdout });
    }
  });
});
