// One measured Drover render in its own process, so that peak RSS is per run.
//   tsx test/bench/render-child.ts full <fleetDir> <envDir> <outFile>
//     loadDirectoryTree + buildKustomization + formatYamlStream; writes the YAML to outFile
//   tsx test/bench/render-child.ts incremental <clusters> <envDir>
//     createRenderer(): build the fleet, change one overlay (new tree whose hashOf differs only
//     below that overlay), build again
// Prints one JSON line: {"ms": …, "maxRssMb": …, …}.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileTreeFromMap, type FileTree } from '../../agent/core/file-tree.js';
import { buildKustomization, createRenderer, formatYamlStream } from '../../agent/render/index.js';
import { loadDirectoryTree } from '../../agent/render/load-directory.js';
import { generateFleet } from '../support/fleet-generator.js';

const [mode, a, b, c] = process.argv.slice(2);

function maxRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** A FileTree over `files` whose hashOf() is a content hash of every file and directory (like git OIDs). */
function hashedTree(files: Record<string, string>): FileTree {
  const hashes = new Map<string, string>();
  const children = new Map<string, Set<string>>();
  for (const [path, content] of Object.entries(files)) {
    hashes.set(path, createHash('sha1').update(content).digest('hex'));
    const segs = path.split('/');
    for (let i = 0; i < segs.length; i++) {
      const parent = segs.slice(0, i).join('/');
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(segs.slice(0, i + 1).join('/'));
    }
  }
  const dirHash = (dir: string): string => {
    const known = hashes.get(dir);
    if (known) return known;
    const h = createHash('sha1');
    for (const child of [...(children.get(dir) ?? [])].sort()) h.update(`${child}\0${children.has(child) ? dirHash(child) : hashes.get(child)}\n`);
    const digest = h.digest('hex');
    hashes.set(dir, digest);
    return digest;
  };
  for (const dir of children.keys()) dirHash(dir);
  return fileTreeFromMap(files, { hashes });
}

if (mode === 'full') {
  const t0 = performance.now();
  const tree = await loadDirectoryTree(a!);
  const yaml = formatYamlStream(buildKustomization(tree, b!));
  const ms = performance.now() - t0;
  writeFileSync(c!, yaml);
  console.log(JSON.stringify({ ms, maxRssMb: maxRssMb(), bytes: Buffer.byteLength(yaml) }));
} else if (mode === 'incremental') {
  const clusters = Number(a);
  const env = b!;
  const before = generateFleet({ clusters });
  const changedIndex = Math.floor(clusters / 2);
  const after = generateFleet({ clusters, overrides: { [changedIndex]: { workerReplicas: 42 } } });
  const treeBefore = hashedTree(before);
  const treeAfter = hashedTree(after);
  const renderer = createRenderer();
  const t0 = performance.now();
  const first = formatYamlStream(renderer.build(treeBefore, env));
  const t1 = performance.now();
  const objects = renderer.build(treeAfter, env);
  const t2 = performance.now();
  const second = formatYamlStream(objects);
  const t3 = performance.now();
  // The incremental result must equal a from-scratch build of the changed tree.
  const scratch = formatYamlStream(buildKustomization(hashedTree(after), env));
  console.log(
    JSON.stringify({
      firstMs: t1 - t0,
      rebuildMs: t3 - t1,
      rebuildBuildMs: t2 - t1,
      rebuildFormatMs: t3 - t2,
      changed: first !== second,
      equalsScratch: second === scratch,
      maxRssMb: maxRssMb(),
    }),
  );
} else {
  console.error('usage: render-child.ts full <fleetDir> <envDir> <outFile> | incremental <clusters> <envDir>');
  process.exit(2);
}
