import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuild, treeRootFor } from './build-command.js';

const root = mkdtempSync(join(tmpdir(), 'drover-build-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
}

write({
  'repo/.git/HEAD': 'ref: refs/heads/main\n',
  'repo/base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  'repo/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  on: "yes"\n',
  'repo/env/prod/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: prod-\nnamespace: prod\n',
  'repo/env/bad/kustomization.yaml': 'resources:\n- ../../base\nnamePrefx: x\n',
  'loose/kustomization.yaml': 'resources:\n- ../repo/base\n',
});

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runBuild(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    logStream: process.stderr,
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

const EXPECTED = `apiVersion: v1
data:
  "on": "yes"
kind: ConfigMap
metadata:
  name: prod-settings
  namespace: prod
`;

describe('drover build DIR', () => {
  it('prints the build like kustomize build', async () => {
    expect(await run(['env/prod'], join(root, 'repo'))).toEqual({ code: 0, stdout: EXPECTED, stderr: '' });
  });

  it.skipIf(spawnSync('kubectl', ['version', '--client']).status !== 0)('matches kubectl kustomize byte for byte', async () => {
    const r = spawnSync('kubectl', ['kustomize', join(root, 'repo/env/prod')], { encoding: 'utf8' });
    expect((await run([join(root, 'repo/env/prod')], root)).stdout).toBe(r.stdout);
  });

  it('reads bases from the enclosing git work tree', () => {
    expect(treeRootFor(join(root, 'repo/env/prod'), root)).toBe(join(root, 'repo'));
    expect(treeRootFor(join(root, 'loose'), join(root, 'loose'))).toBe(join(root, 'loose'));
  });

  it('fails with exit 1 and the kustomization file and field on stderr', async () => {
    const r = await run(['env/bad'], join(root, 'repo'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: env/bad/kustomization.yaml:3:1 namePrefx: unknown field "namePrefx"\n');
  });

  it('names the entry when a base is outside the tree it reads', async () => {
    const r = await run(['.'], join(root, 'loose'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('kustomization.yaml:2:3 resources[0]');
    expect(r.stderr).toContain('outside the repository');
  });

  it.each([[[]], [['a', 'b']], [['--reorder=none', 'x']]])('rejects the arguments %j', async (args) => {
    expect((await run(args, root)).code).toBe(1);
  });
});
