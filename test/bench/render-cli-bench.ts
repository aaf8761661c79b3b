// Per-invocation cost of `drover build` (the compiled CLI, bin/drover, one process per build)
// against `kubectl kustomize`, in the same run: a one-file tree (what scripts, pre-commit hooks
// and CI pay per call) and an N-cluster fleet (default 1000). CPU time (user+sys, from
// /usr/bin/time) and wall time per invocation; the median of several runs for the small tree,
// alternating the two tools so that load changes hit both. Checks the outputs are identical.
//   npx tsx test/bench/render-cli-bench.ts [--runs 9] [--clusters 1000]
// Also run by `npm run bench:render` before the in-process benchmark. A figure, not a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateFleet } from '../support/fleet-generator.js';

const repo = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const drover = join(repo, 'bin', 'drover');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Measure {
  cpuS: number;
  wallS: number;
  stdout: string;
}

/** Runs one command under /usr/bin/time: its CPU (user+sys of the process and its children) and wall time. */
function measure(cmd: string, args: string[], cwd: string): Measure {
  const timeFile = join(tmpdir(), `drover-cli-bench-${process.pid}.time`);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile, { force: true });
  return { cpuS: user! + sys!, wallS, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
}

function compare(name: string, dir: string, cwd: string, runs: number): void {
  const d: Measure[] = [];
  const k: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    d.push(measure('node', [drover, 'build', dir], cwd));
    k.push(measure('kubectl', ['kustomize', dir], cwd));
  }
  const agree = d[0]!.stdout === k[0]!.stdout ? 'yes' : 'NO';
  const f = (xs: Measure[], key: 'cpuS' | 'wallS'): string => median(xs.map((x) => x[key])).toFixed(3);
  console.log(`| ${name} | ${runs} | ${f(d, 'cpuS')} | ${f(k, 'cpuS')} | ${f(d, 'wallS')} | ${f(k, 'wallS')} | ${agree} |`);
  if (agree !== 'yes') process.exitCode = 1;
}

export function runCliBench(runs = arg('--runs', 9), clusters = arg('--clusters', 1000)): void {
  if (spawnSync('kubectl', ['version', '--client']).status !== 0) {
    console.log('render cli bench: kubectl is not on PATH; skipped');
    return;
  }
  console.log('render cli bench: compiling the CLI (npm run build)');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const root = mkdtempSync(join(tmpdir(), 'drover-cli-bench-'));
  try {
    writeTree(join(root, 'small'), {
      'kustomization.yaml': 'resources:\n- cm.yaml\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  region: eu-west\n',
    });
    writeTree(join(root, 'fleet'), generateFleet({ clusters }));
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
    console.log('| tree | runs | drover CPU s | kustomize CPU s | drover wall s | kustomize wall s | identical |');
    console.log('|---|---:|---:|---:|---:|---:|:---|');
    // Built from "/" by absolute path: nothing but the tree may be read.
    compare('one file', join(root, 'small'), '/', runs);
    compare(`${clusters} clusters`, join(root, 'fleet', 'environments', 'prod'), '/', 1);
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) runCliBench();
