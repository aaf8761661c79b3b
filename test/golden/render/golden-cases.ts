// Shared by regenerate.ts (writes the expected files with real kustomize) and
// agent/render/golden.oracle.test.ts (checks Drover against them).
//
// Layout of one case, test/golden/render/<case>/:
//   fleet/…               the input tree (the FileTree root for Drover)
//   <env>.yaml            expected `kubectl kustomize fleet/environments/<env>` stdout, one per env dir
//   fleet.yaml            expected `kubectl kustomize fleet` stdout when there is no environments/ dir
// A bad case, test/golden/render/bad-<case>/:
//   fleet/…               the input tree; built like a good case (exactly one target)
//   errors.txt            Drover's expected error message (golden UI text, written by vitest -u)
//   kustomize-stderr.txt  what kustomize said when it failed (sanitized), for reference
//   kustomize-accepts.txt present only where kustomize succeeds on purpose-built input that
//                         Drover rejects by design (safety limits); it says why
//   build-args.txt        present: the case is built as `drover build fleet/<dir> ARGS` builds it
//                         outside a git work tree (kustomize's load rules, the local filesystem
//                         as the tree) and kubectl kustomize gets the same ARGS (e.g.
//                         `--load-restrictor LoadRestrictionsNone`); absent: built as a
//                         repository whose root is fleet/ (the agent's rules)
//   <env>.sha256          instead of <env>.yaml for generated cases whose output is too big to
//                         commit: `<sha256 hex> <bytes>` of the expected stdout
// Files outside fleet/ exist so that escaping symlinks resolve, and for bases outside fleet/
// in build-args cases.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GOLDEN_ROOT = new URL('.', import.meta.url).pathname.replace(/\/$/, '');

export interface GoldenTarget {
  /** Name of the expected file without `.yaml`: the env name, or `fleet`. */
  readonly name: string;
  /** Directory to build, relative to the case's fleet/ ('' is fleet/ itself). */
  readonly dir: string;
}

export interface GoldenCase {
  readonly name: string;
  readonly bad: boolean;
  /** Absolute path of the case directory in the repository. */
  readonly path: string;
  readonly targets: readonly GoldenTarget[];
  /** Arguments of `drover build` / `kubectl kustomize` (build-args.txt); undefined: repository mode. */
  readonly buildArgs: readonly string[] | undefined;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, f)));
}

function targetsOf(fleet: string): GoldenTarget[] {
  const envs = join(fleet, 'environments');
  if (existsSync(envs) && statSync(envs).isDirectory()) {
    const names = readdirSync(envs)
      .filter((e) => statSync(join(envs, e)).isDirectory() && hasKustomization(join(envs, e)))
      .sort();
    if (names.length > 0) return names.map((name) => ({ name, dir: `environments/${name}` }));
  }
  return [{ name: 'fleet', dir: '' }];
}

export function listGoldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_ROOT)
    .filter((name) => existsSync(join(GOLDEN_ROOT, name, 'fleet')))
    .sort()
    .map((name) => {
      const path = join(GOLDEN_ROOT, name);
      const argsFile = join(path, 'build-args.txt');
      const buildArgs = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').split(/\s+/).filter(Boolean) : undefined;
      return { name, bad: name.startsWith('bad-'), path, targets: targetsOf(join(path, 'fleet')), buildArgs };
    });
}

/**
 * Files generated at test time instead of being committed (too big for the repository).
 * Paths are relative to the case's fleet/ directory.
 */
const GENERATED: Readonly<Record<string, () => Record<string, string>>> = {
  'bad-oversized-document': () => ({
    // One ConfigMap just over 16 MiB: over Drover's per-document limit.
    'big-configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(16 * 1024 * 1024)}\n`,
  }),
  'big-crd': () => ({ 'crds/widgets.example.com.yaml': generateBigCrd() }),
};

/**
 * Copies the case into a fresh temporary directory (symlinks kept as they are) and adds its
 * generated files. Returns the copy's case directory; `cleanup` removes it.
 */
export function materializeCase(c: GoldenCase): { dir: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), `drover-golden-${c.name}-`));
  const dir = join(base, c.name);
  cpSync(c.path, dir, { recursive: true, verbatimSymlinks: true });
  for (const [rel, content] of Object.entries(GENERATED[c.name]?.() ?? {})) {
    mkdirSync(dirname(join(dir, 'fleet', rel)), { recursive: true });
    writeFileSync(join(dir, 'fleet', rel), content);
  }
  return { dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export function hasKubectl(): boolean {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.status === 0;
}

export interface KustomizeRun {
  readonly ok: boolean;
  readonly stdout: string;
  /** stderr without klog prefixes, deprecation warnings, and with `caseDir` replaced by `<case>`. */
  readonly stderr: string;
}

/** Whether util-linux prlimit exists: without it, an alias bomb would let kustomize eat gigabytes. */
export const HAS_PRLIMIT = spawnSync('prlimit', ['--version']).status === 0;

/**
 * Runs `kubectl kustomize <caseDir>/fleet/<dir>` with cwd = caseDir. Memory is capped at 1 GB of
 * address space (when prlimit exists) and time at `timeoutMs`, so that an alias bomb makes
 * kustomize fail fast instead of eating the machine.
 */
export function runKustomize(caseDir: string, dir: string, timeoutMs = 60_000, buildArgs: readonly string[] = []): KustomizeRun {
  const target = dir === '' ? 'fleet' : `fleet/${dir}`;
  const cmd = HAS_PRLIMIT ? 'prlimit' : 'kubectl';
  const kustomize = ['kustomize', target, ...buildArgs];
  const args = HAS_PRLIMIT ? ['--as=1000000000', 'kubectl', ...kustomize] : kustomize;
  const r = spawnSync(cmd, args, { cwd: caseDir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0 && !r.error, stdout: r.stdout ?? '', stderr: sanitizeStderr(r.stderr ?? '', caseDir, r.error) };
}

function sanitizeStderr(stderr: string, caseDir: string, error: Error | undefined): string {
  const lines = stderr
    .split('\n')
    .filter((l) => !l.startsWith('# Warning:'))
    .map((l) => l.replace(/^[EIW]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] /, ''))
    .map((l) => l.split(caseDir).join('<case>'))
    .map((l) => l.replace(/0xc[0-9a-f]+/g, '0x…'));
  // A Go out-of-memory crash dumps every goroutine: keep only its first lines.
  const oom = lines.findIndex((l) => l.startsWith('fatal error: out of memory'));
  const kept = oom >= 0 ? lines.slice(0, oom + 1) : lines;
  let out = kept.join('\n').trim();
  if (error) out += `${out ? '\n' : ''}(kubectl did not finish: ${error.message.split(caseDir).join('<case>')})`;
  return out + '\n';
}

/** `<sha256 hex> <bytes>` of an expected output, for the generated cases too big to commit. */
export function digestOf(text: string): string {
  return `${createHash('sha256').update(text).digest('hex')} ${Buffer.byteLength(text)}\n`;
}

/**
 * A CustomResourceDefinition of about 3 MiB shaped like the big ones real operators ship: two
 * versions, each with a deep schema of many properties with long descriptions. Deterministic.
 */
export function generateBigCrd(): string {
  const lines: string[] = [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  annotations:',
    '    controller-gen.kubebuilder.io/version: v0.16.0',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    '  names:',
    '    kind: Widget',
    '    listKind: WidgetList',
    '    plural: widgets',
    '    singular: widget',
    '  scope: Namespaced',
    '  versions:',
  ];
  const text = 'Widget field documentation that goes on for a while, as generated API reference text does, with "quotes", colons: and #hashes.';
  for (const version of ['v1alpha1', 'v1beta1']) {
    lines.push(`  - name: ${version}`, '    schema:', '      openAPIV3Schema:', '        properties:', '          spec:', '            properties:');
    for (let g = 0; g < 120; g++) {
      lines.push(`              group${g}:`, `                description: '${text.replaceAll("'", "''")} Group ${g}.'`, '                properties:');
      for (let f = 0; f < 40; f++) {
        const type = f % 3 === 0 ? 'integer' : f % 3 === 1 ? 'string' : 'boolean';
        lines.push(`                  field${f}:`, `                    description: '${text.replaceAll("'", "''")} Field ${f} of group ${g}.'`, `                    type: ${type}`);
        if (type === 'integer') lines.push('                    format: int32', `                    maximum: ${1000 + f}`);
      }
      lines.push('                type: object');
    }
    lines.push('            type: object', '        type: object', `    served: true`, `    storage: ${version === 'v1beta1'}`, '    subresources:', '      status: {}');
  }
  return `${lines.join('\n')}\n`;
}
