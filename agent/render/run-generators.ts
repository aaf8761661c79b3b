/**
 * configMapGenerator and secretGenerator entries of one kustomization, then its built-in generator
 * configurations (`generators:`), absorbed like kustomize does.
 */
import { BuildFailure, issueAt, toIssues, type Accumulated, type Target } from './build-context.js';
import { PluginConfigError, generateFromBuiltin, type PluginConfig } from './builtin-plugins.js';
import { GeneratorError, generateConfigMap, generateSecret, mergeGenerated, mergeGeneratorOptions } from './generators/generators.js';
import type { ResMap } from './kustomization/res-map.js';
import { describeResId, type Resource } from './kustomization/resource.js';

export function runGenerators(t: Target, acc: Accumulated, plugins: readonly PluginConfig[] = []): void {
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
  for (const cfg of plugins) {
    try {
      absorb(acc.resMap, generateFromBuiltin(t, cfg));
    } catch (e) {
      if (e instanceof PluginConfigError) throw new BuildFailure([e.issue]);
      if (e instanceof GeneratorError) throw new BuildFailure([issueAt(t, cfg.path, `${cfg.res.kind}/${cfg.res.name}: ${e.path.length ? `${e.path.join('.')}: ` : ''}${e.message}`, 'GeneratorFailed')]);
      throw new BuildFailure(toIssues(e, t, cfg.path));
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
