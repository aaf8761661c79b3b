import * as nodeFs from 'node:fs';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DirectoryFs } from '../render/load-directory.js';
import { buildScopeFor, runBuild } from './build-command.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'drover-build-cli-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>, under = root): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(under, p)), { recursive: true });
    writeFileSync(join(under, p), content);
  }
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  on: "yes"\n';
write({
  'repo/.git/HEAD': 'ref: refs/heads/main\n',
  'repo/base/kustomization.yaml': 'resources:\n- cm.yaml\n',
  'repo/base/cm.yaml': CM,
  'repo/env/prod/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: prod-\nnamespace: prod\n',
  'repo/env/bad/kustomization.yaml': 'resources:\n- ../../base\nnamePrefx: x\n',
  'repo/env/escape/kustomization.yaml': 'resources:\n- ../../../loose\n',
  'repo/env/up-file/kustomization.yaml': 'resources:\n- ../../base/cm.yaml\n',
  'loose/kustomization.yaml': 'resources:\n- ../repo/base\nnamePrefix: loose-\n',
  'loose/up-file/kustomization.yaml': 'resources:\n- ../../repo/base/cm.yaml\n',
  'loose/abs-file/kustomization.yaml': `resources:\n- ${root}/loose/abs-file/cm.yaml\n`,
  'loose/abs-file/cm.yaml': CM,
  'loose/abs-base/kustomization.yaml': `resources:\n- ${root}/repo/base\n`,
});
symlinkSync(join(root, 'loose/abs-file/cm.yaml'), join(root, 'loose/abs-link.yaml'));
write({ 'loose/link-file/kustomization.yaml': 'resources:\n- ../abs-link.yaml\n' });

async function run(args: string[], cwd: string, fs?: DirectoryFs): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runBuild(
    args,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      logStream: process.stderr,
      env: {},
      cwd,
    },
    fs,
  );
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

  it('takes the enclosing git work tree as the boundary, else the whole filesystem', () => {
    expect(buildScopeFor(join(root, 'repo/env/prod'))).toEqual({ root: join(root, 'repo'), filesystem: false });
    expect(buildScopeFor(join(root, 'loose'))).toEqual({ root: '/', filesystem: true });
  });

  it('fails with exit 1 and the kustomization file and field on stderr', async () => {
    const r = await run(['env/bad'], join(root, 'repo'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: env/bad/kustomization.yaml:3:1 namePrefx: unknown field "namePrefx"\n');
  });

  it('inside a git work tree, refuses a base outside it, naming the entry', async () => {
    const r = await run(['env/escape'], join(root, 'repo'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('env/escape/kustomization.yaml:2:3 resources[0]');
    expect(r.stderr).toContain('outside the repository');
  });

  it('outside a git work tree, reads bases anywhere on the filesystem, from any directory', async () => {
    const fromElsewhere = await run([join(root, 'loose')], join(root, 'repo/env'));
    expect(fromElsewhere).toEqual({ code: 0, stdout: EXPECTED.replace('prod-settings\n  namespace: prod', 'loose-settings'), stderr: '' });
    expect((await run([relative('/', join(root, 'loose'))], '/')).stdout).toBe(fromElsewhere.stdout);
  });

  it.each([
    ['repository, RootOnly', 'repo/env/up-file', [], 'is not in or below'],
    ['repository, None', 'repo/env/up-file', ['--load-restrictor', 'LoadRestrictionsNone'], ''],
    ['filesystem, RootOnly', 'loose/up-file', ['--load-restrictor=LoadRestrictionsRootOnly'], 'is not in or below'],
    ['filesystem, None', 'loose/up-file', ['--load-restrictor', 'LoadRestrictionsNone'], ''],
    ['filesystem, absolute file within the root', 'loose/abs-file', [], ''],
    ['filesystem, absolute symlink leaving the root', 'loose/link-file', [], 'is not in or below'],
    ['filesystem, absolute symlink with None', 'loose/link-file', ['--load-restrictor', 'LoadRestrictionsNone'], ''],
    ['filesystem, absolute base', 'loose/abs-base', [], 'absolute path'],
  ])('load restrictions: %s', async (_name, dir, flags, error) => {
    const r = await run([dir, ...flags], root);
    expect(r.stderr).toContain(error);
    expect(r.code).toBe(error ? 1 : 0);
    if (!error) expect(r.stdout).toContain('name: settings');
  });

  it('names the files kustomize would name when a file leaves the root', async () => {
    const r = await run(['loose/up-file'], root);
    expect(r.stderr).toBe(`Error: loose/up-file/kustomization.yaml:2:3 resources[0]: file "../../repo/base/cm.yaml" is not in or below "${root}/loose/up-file" (kustomize's load restrictions)\n`);
  });

  it.each([
    [[], 'expected exactly one directory'],
    [['a', 'b'], 'expected exactly one directory'],
    [['--reorder=none', 'x'], "Unknown option '--reorder'"],
    [['--load-restrictor', 'bogus', 'x'], 'illegal flag value --load-restrictor bogus; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]'],
  ])('rejects the arguments %j', async (args, message) => {
    const r = await run(args, root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });
});

describe('drover build reads only what the kustomizations reference', () => {
  const site = join(root, 'site');
  write(
    {
      'app/kustomization.yaml': 'resources:\n- ../base\n- extra.yaml\nconfigMapGenerator:\n- name: gen\n  files:\n  - conf.txt\n',
      'app/extra.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n',
      'app/conf.txt': 'x=1\n',
      'app/unreferenced.yaml': 'not: read\n',
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'base/cm.yaml': CM,
    },
    site,
  );
  // An unrelated large directory beside the tree: nothing in it may be touched.
  const huge = join(site, 'huge');
  for (let d = 0; d < 40; d++) {
    mkdirSync(join(huge, `d${d}`), { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(join(huge, `d${d}`, `f${f}.yaml`), 'kind: ConfigMap\n');
  }

  function countingFs(): { fs: DirectoryFs; touched: string[]; read: string[] } {
    const touched: string[] = [];
    const read: string[] = [];
    const fs: DirectoryFs = {
      lstatSync: (p, o) => (touched.push(p), nodeFs.lstatSync(p, o)),
      readFileSync: (p) => (touched.push(p), read.push(p), nodeFs.readFileSync(p)),
      readlinkSync: (p) => (touched.push(p), nodeFs.readlinkSync(p)),
      readdirSync: (p) => (touched.push(p), nodeFs.readdirSync(p)),
    };
    return { fs, touched, read };
  }

  it('from "/", reads exactly the referenced files and never looks into an unrelated directory', async () => {
    const { fs, touched, read } = countingFs();
    const r = await run([relative('/', join(site, 'app'))], '/', fs);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(read.sort()).toEqual(['app/conf.txt', 'app/extra.yaml', 'app/kustomization.yaml', 'base/cm.yaml', 'base/kustomization.yaml'].map((p) => join(site, p)).sort());
    expect(touched.filter((p) => p.startsWith(huge) || p.includes('unreferenced'))).toEqual([]);
    expect(touched.filter((p) => p === '/tmp' || p === tmpdir()).length).toBeLessThanOrEqual(1);
    expect(touched.length).toBeLessThan(60);
  });

  it('does not depend on unrelated directories that vanish', async () => {
    const { fs, touched } = countingFs();
    rmSync(huge, { recursive: true, force: true });
    const r = await run([join(site, 'app')], '/', fs);
    expect(r.code).toBe(0);
    expect(touched.some((p) => p.startsWith(huge))).toBe(false);
  });
});
