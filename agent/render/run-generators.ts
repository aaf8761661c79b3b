/** configMapGenerator and secretGenerator entries of one kustomization, absorbed like kustomize does. */
import { BuildFailure, toIssues, type Accumulated, type Target } from './build-context.js';
import { GeneratorError, generateConfigMap, generateSecret, mergeGenerated, mergeGeneratorOptions } from './generators.js';
import type { ResMap } from './res-map.js';
import { describeResId, type Resource } from './resource.js';

export function runGenerators(t: Target, acc: Accumulated): void {
  const gens: { key: 'configMapGenerator' | 'secretGenerator'; i: number; make: () => Resource }[] = [];
  (t.k.configMapGenerator ?? []).forEach((g, i) =>
    gens.push({ key: 'configMapGenerator', i, make: () => generateConfigMap(g, mergeGeneratorOptions(g.options, t.k.generatorOptions), t.loader, t.file) }),
  );
  (t.k.secretGenerator ?? []).forEach((g, i) =>
    gens.push({ key: 'secretGenerator', i, make: () => generateSecret(g, mergeGeneratorOptions(g.options, t.k.generatorOptions), t.loader, t.file) }),
  );
  for (const g of gens) {
    const path = [g.key, g.i];
    try {
      absorb(acc.resMap, g.make());
    } catch (e) {
      throw new BuildFailure(toIssues(e, t, path));
    }
  }
}

/** kustomize's appendReplaceOrMerge for generated resources. */
function absorb(m: ResMap, res: Resource): void {
  const id = res.curId();
  const matches = m.byAnyId(id);
  if (matches.length === 0) {
    if (res.behavior === 'merge' || res.behavior === 'replace') {
      throw new GeneratorError(`${describeResId(id)} does not exist; cannot merge or replace`, ['behavior']);
    }
    m.append(res);
    return;
  }
  if (matches.length > 1) throw new GeneratorError(`found multiple objects that could accept merge of ${describeResId(id)}`);
  const old = matches[0]!;
  if (res.behavior !== 'merge' && res.behavior !== 'replace') {
    throw new GeneratorError(`${describeResId(id)} exists; behavior must be merge or replace`, ['behavior']);
  }
  m.replaceAt(m.indexOf(old), mergeGenerated(res, old, res.behavior));
}
