// npm run bench:render [-- --sizes 100,300,1000]
// For each N: writes a fleet of N cluster overlays (test/support/fleet-generator.ts) to a temporary
// directory, renders it once with `kubectl kustomize` and three times with Drover (each Drover run
// in its own process: loadDirectoryTree + build + format, peak RSS per run), checks the outputs are
// byte-identical and prints N, kustomize s, drover s (median), ratio, drover peak RSS MB, agree.
// Then measures the incremental case: createRenderer() builds the 1000-cluster fleet, one overlay
// changes, and it rebuilds. A figure, not a timed test.
// First, render-cli-bench.ts: the compiled CLI against kubectl kustomize per invocation (a
// one-file tree and a 1000-cluster fleet); `--only cli` stops after it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateFleet } from '../support/fleet-generator.js';
import { runCliBench } from './render-cli-bench.js';

runCliBench();
if (process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'cli') process.exit(process.exitCode ?? 0);

const ENV_DIR = 'environments/prod';
const DROVER_RUNS = 3;
const here = dirname(new URL(import.meta.url).pathname);
const child = join(here, 'render-child.ts');
const tsx = join(here, '..', '..', 'node_modules', '.bin', 'tsx');

const sizesArg = process.argv.indexOf('--sizes');
const sizes = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(',').map(Number) : [100, 300, 1000];

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

function runChild(args: string[]): Record<string, number | boolean> {
  const r = spawnSync(tsx, [child, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`drover child failed (${args.join(' ')}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Record<string, number | boolean>;
}

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
if (!hasKubectl) console.log('kubectl is not on PATH: kustomize columns are empty');

interface Row {
  n: number;
  kustomizeS: number | undefined;
  droverS: number;
  droverRunsS: number[];
  rssMb: number;
  agree: string;
}
const rows: Row[] = [];
let headerPrinted = false;
for (const n of sizes) {
  const root = mkdtempSync(join(tmpdir(), `drover-bench-${n}-`));
  const outDir = mkdtempSync(join(tmpdir(), `drover-bench-out-${n}-`));
  try {
    for (const [path, content] of Object.entries(generateFleet({ clusters: n }))) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    let kustomizeS: number | undefined;
    let kustomizeOut: string | undefined;
    if (hasKubectl) {
      const t0 = performance.now();
      const k = spawnSync('kubectl', ['kustomize', ENV_DIR], { cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
      kustomizeS = (performance.now() - t0) / 1000;
      if (k.status !== 0) throw new Error(`kubectl kustomize failed at N=${n}: ${k.stderr}`);
      kustomizeOut = k.stdout;
    }
    const times: number[] = [];
    const rss: number[] = [];
    let droverOut = '';
    for (let i = 0; i < DROVER_RUNS; i++) {
      const out = join(outDir, `drover-${i}.yaml`);
      const m = runChild(['full', root, ENV_DIR, out]);
      times.push((m.ms as number) / 1000);
      rss.push(m.maxRssMb as number);
      droverOut = readFileSync(out, 'utf8');
    }
    const agree = kustomizeOut === undefined ? 'n/a' : kustomizeOut === droverOut ? 'yes' : `NO (${firstDifference(droverOut, kustomizeOut)})`;
    rows.push({ n, kustomizeS, droverS: median(times), droverRunsS: times, rssMb: Math.max(...rss), agree });
    printRow(rows[rows.length - 1]!);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return `line ${i + 1}: drover ${JSON.stringify(x[i] ?? '<end>')} vs kustomize ${JSON.stringify(y[i] ?? '<end>')}`;
}

function printRow(r: Row): void {
  if (!headerPrinted) {
    console.log('| N | kustomize s | drover s (median of 3) | ratio | drover peak RSS MB | agree |');
    console.log('|---:|---:|---:|---:|---:|:---|');
    headerPrinted = true;
  }
  const k = r.kustomizeS === undefined ? 'n/a' : r.kustomizeS.toFixed(2);
  const ratio = r.kustomizeS === undefined ? 'n/a' : (r.droverS / r.kustomizeS).toFixed(3);
  console.log(`| ${r.n} | ${k} | ${r.droverS.toFixed(3)} (${r.droverRunsS.map((t) => t.toFixed(3)).join(', ')}) | ${ratio} | ${r.rssMb} | ${r.agree} |`);
}

if (rows.length > 1) {
  const a = rows[0]!;
  const z = rows[rows.length - 1]!;
  console.log(`drover growth: N x${(z.n / a.n).toFixed(1)} -> time x${(z.droverS / a.droverS).toFixed(1)}` +
    (a.kustomizeS && z.kustomizeS ? `; kustomize time x${(z.kustomizeS / a.kustomizeS).toFixed(1)}` : ''));
}

const incN = Math.max(...sizes);
const inc = runChild(['incremental', String(incN), ENV_DIR]);
console.log(
  `incremental (createRenderer, N=${incN}): first build ${((inc.firstMs as number) / 1000).toFixed(3)} s, ` +
    `rebuild after one overlay changed ${((inc.rebuildMs as number) / 1000).toFixed(3)} s ` +
    `(build ${((inc.rebuildBuildMs as number) / 1000).toFixed(3)} s + format ${((inc.rebuildFormatMs as number) / 1000).toFixed(3)} s), ` +
    `output changed: ${inc.changed}, equals a from-scratch build: ${inc.equalsScratch}, peak RSS ${inc.maxRssMb} MB`,
);
const bad = rows.filter((r) => r.agree.startsWith('NO'));
if (bad.length > 0 || inc.equalsScratch === false) process.exitCode = 1;
