// Compiles one benchmark entry (and what it imports) with the project's tsc into .cache/<name>,
// so a measured process runs under plain node, without tsx's loader in its CPU and memory figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `entry` relative to the project root (e.g. `test/bench/reconcile-bench.ts`); returns the compiled `.js`. */
export function compileForNode(root: string, entry: string, name: string): string {
  const out = join(root, '.cache', name);
  mkdirSync(out, { recursive: true });
  const tsconfig = join(out, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: relative(out, join(root, 'tsconfig.json')),
      compilerOptions: { rootDir: relative(out, root), outDir: '.', sourceMap: false, noEmitOnError: false, incremental: false },
      files: [relative(out, join(root, entry))],
      include: [],
    }),
  );
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 2) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  return join(out, entry.replace(/\.ts$/, '.js'));
}
