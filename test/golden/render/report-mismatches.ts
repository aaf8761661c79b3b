// Lists where Drover disagrees with the golden cases, one line per case (markdown), without vitest:
//   npx tsx test/golden/render/report-mismatches.ts
// Good cases: the first differing line of Drover's render vs the committed kustomize output, or the
// error Drover threw. Bad cases: whether Drover failed, and whether its text equals errors.txt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKustomization, formatYamlStream } from '../../../agent/render/index.js';
import { loadDirectoryTree } from '../../../agent/render/load-directory.js';
import { listGoldenCases, materializeCase } from './golden-cases.js';

function render(dir: string, target: string): { yaml: string } | { error: string } {
  try {
    return { yaml: formatYamlStream(buildKustomization(loadDirectoryTree(join(dir, 'fleet')), target)) };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

function firstDiff(actual: string, expected: string): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // Name the document: the nearest `kind:`/`name:` above the line in the expected output.
  let kind = '';
  let name = '';
  for (let j = Math.min(i, b.length - 1); j >= 0 && b[j] !== '---'; j--) {
    const k = /^kind: (.*)$/.exec(b[j]!);
    const n = /^ {2}name: (.*)$/.exec(b[j]!);
    if (k && !kind) kind = k[1]!;
    if (n && !name) name = n[1]!;
  }
  const where = kind ? ` (in ${kind}${name ? `/${name}` : ''})` : '';
  return `line ${i + 1}${where}: drover \`${JSON.stringify(a[i] ?? '<end>')}\` vs kustomize \`${JSON.stringify(b[i] ?? '<end>')}\``;
}

let goodOk = 0;
let goodAll = 0;
let badOk = 0;
let badText = 0;
let badAll = 0;
const lines: string[] = [];
for (const c of listGoldenCases()) {
  const copy = materializeCase(c);
  try {
    if (!c.bad) {
      for (const t of c.targets) {
        goodAll++;
        const expected = readFileSync(join(c.path, `${t.name}.yaml`), 'utf8');
        const out = render(copy.dir, t.dir);
        if ('error' in out) lines.push(`- ${c.name}/${t.name}: Drover failed: ${out.error.split('\n').slice(0, 3).join(' | ')}`);
        else if (out.yaml !== expected) lines.push(`- ${c.name}/${t.name}: ${firstDiff(out.yaml, expected)}`);
        else goodOk++;
      }
    } else {
      badAll++;
      const t = c.targets[0]!;
      const out = render(copy.dir, t.dir);
      const golden = join(c.path, 'errors.txt');
      if ('yaml' in out) lines.push(`- ${c.name}: Drover rendered (${out.yaml.split('\n---\n').length} documents) where kustomize fails`);
      else {
        badOk++;
        const text = `${out.error.replace(/^RenderError: /, '')}\n`;
        if (existsSync(golden) && readFileSync(golden, 'utf8') === text) badText++;
        else if (existsSync(golden)) lines.push(`- ${c.name}: fails as it should, but the text differs from errors.txt: ${JSON.stringify(text.split('\n')[0])}`);
        if (!out.error.startsWith('RenderError')) lines.push(`- ${c.name}: fails, but with ${out.error.split(':')[0]} instead of RenderError: ${out.error.split('\n')[0]}`);
      }
    }
  } finally {
    copy.cleanup();
  }
}
console.log(`renders identical to kustomize: ${goodOk}/${goodAll}; bad cases failing: ${badOk}/${badAll} (error text = errors.txt: ${badText})`);
console.log(lines.join('\n'));
