// The pre-test step (`npm run binaries`, run by `npm test` before vitest): builds or finds every
// entry of the registry (test/support/build/binaries.ts), one after another, printing progress.
// A failure exits non-zero at once with the failing script's last lines, so the run stops before
// any test file starts. `--project NAME` prepares only what that vitest project needs.
import { performance } from 'node:perf_hooks';
import { PREREQUISITES, formatElapsed, preparePrerequisites, prerequisitesFor, type TestProjectName } from './binaries.js';

const args = process.argv.slice(2);
const i = args.indexOf('--project');
const project = i >= 0 ? (args[i + 1] as TestProjectName | undefined) : undefined;
if (i >= 0 && !project) {
  console.error('usage: prebuild.ts [--project NAME]');
  process.exit(2);
}
const list = project ? prerequisitesFor(project) : [...PREREQUISITES];
const t0 = performance.now();
try {
  const results = await preparePrerequisites(list);
  const parts = list.map((p) => {
    const r = results.get(p.name)!;
    const v = p.kind === 'binary' ? ` v${p.version}` : '';
    return `${p.name}${v} ${r.cached ? 'cached' : formatElapsed(r.ms)}`;
  });
  console.error(`drover: test prerequisites ready in ${formatElapsed(performance.now() - t0)}: ${parts.join(', ')}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  console.error('drover: the test run stops here: a test prerequisite could not be built');
  process.exit(1);
}
