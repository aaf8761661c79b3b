// Regenerates the expected outputs of the golden render cases with real kustomize:
//   npx tsx test/golden/render/regenerate.ts [case…]
// Good cases: <case>/<env>.yaml = stdout of `kubectl kustomize` (exit 0 required).
// Bad cases: kustomize must fail (unless kustomize-accepts.txt explains why it does not);
// its sanitized stderr goes to kustomize-stderr.txt. Drover's errors.txt is written by
// `vitest -u` (agent/render/golden.oracle.test.ts), never here.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf, hasKubectl, listGoldenCases, materializeCase, runKustomize } from './golden-cases.js';

if (!hasKubectl()) {
  console.error('kubectl is not on PATH: cannot regenerate golden files');
  process.exit(2);
}

const only = new Set(process.argv.slice(2));
let failures = 0;
for (const c of listGoldenCases()) {
  if (only.size > 0 && !only.has(c.name)) continue;
  const copy = materializeCase(c);
  try {
    if (!c.bad) {
      // Drop expected files of envs that no longer exist.
      const wanted = new Set(c.targets.map((t) => `${t.name}.yaml`));
      for (const f of readdirSync(c.path)) {
        if ((f.endsWith('.yaml') || f.endsWith('.sha256')) && !wanted.has(f) && !wanted.has(f.replace(/\.sha256$/, '.yaml'))) rmSync(join(c.path, f));
      }
    }
    for (const t of c.targets) {
      const run = runKustomize(copy.dir, t.dir, 60_000, c.buildArgs);
      if (c.bad) {
        const accepts = existsSync(join(c.path, 'kustomize-accepts.txt'));
        if (run.ok !== accepts) {
          console.error(`${c.name}: kustomize ${run.ok ? 'succeeded' : 'failed'}, expected the opposite\n${run.stderr}`);
          failures++;
        }
        if (!run.ok) writeFileSync(join(c.path, 'kustomize-stderr.txt'), run.stderr);
        console.log(`${c.name}: kustomize ${run.ok ? 'accepts (documented divergence)' : 'fails'}`);
      } else if (!run.ok) {
        console.error(`${c.name}/${t.name}: kustomize failed\n${run.stderr}`);
        failures++;
      } else {
        if (existsSync(join(c.path, `${t.name}.sha256`))) writeFileSync(join(c.path, `${t.name}.sha256`), digestOf(run.stdout));
        else writeFileSync(join(c.path, `${t.name}.yaml`), run.stdout);
        console.log(`${c.name}/${t.name}.yaml: ${run.stdout.split('\n---\n').length} documents`);
      }
    }
  } finally {
    copy.cleanup();
  }
}
process.exit(failures > 0 ? 1 : 0);
