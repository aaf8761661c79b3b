/**
 * The kustomize build (kustomize's KustTarget and Kustomizer.Run): accumulate the top
 * kustomization, then add hash suffixes, fix name references, resolve vars, drop local-config resources and
 * order the output.
 */
import { BuildFailure, KustomizationFileError, issueAt, record, toIssues, type BuildContext, type Target } from './build-context.js';
import { accumulateTarget } from './accumulate.js';
import { applyOpenApiField } from './load-openapi.js';
import { applyBuildMetadata } from './transformers/build-metadata.js';
import { addHashSuffixes } from './generators/hash-suffix.js';
import { loadTarget } from './kustomization/load-target.js';
import { fixNameReferences } from './transformers/name-reference.js';
import type { Resource } from './kustomization/resource.js';
import { sortLegacy } from './transformers/resource-order.js';
import { resolveVars } from './transformers/vars.js';
import { LoadError, TreeLoader } from './kustomization/tree-loader.js';

export { BuildFailure, type Accumulated, type BuildContext, type CachedBase, type SharedBaseCache } from './build-context.js';

/** kustomize's makeCustomizedResMap, then sorting and output cleanup: the final resources. */
export function buildTop(ctx: BuildContext, dir: string): { resources: Resource[]; target: Target } {
  let loader: TreeLoader;
  try {
    const { loadRestrictor: restrictor, filesystem, maxTotalBytes } = ctx.options;
    loader = TreeLoader.at(ctx.tree, dir, (p) => record(ctx, [p]), { restrictor, filesystem, maxTotalBytes });
  } catch (e) {
    if (e instanceof LoadError) throw new BuildFailure([{ code: 'InvalidRoot', file: dir || '.', path: [], message: e.message }]);
    throw e;
  }
  let t: Target;
  try {
    t = loadTarget(ctx, loader, 0);
  } catch (e) {
    if (e instanceof KustomizationFileError) throw new BuildFailure([{ code: e.code, file: e.dir, path: [], message: e.message }]);
    throw e;
  }
  applyOpenApiField(ctx, t, true);
  const acc = accumulateTarget(ctx, t, undefined);
  const m = acc.resMap;
  try {
    addHashSuffixes(m.resources());
    m.invalidate();
    fixNameReferences(m.resources(), acc.config.nameReference);
    resolveVars(m.resources(), acc.vars, acc.config.varReference);
  } catch (e) {
    throw new BuildFailure(toIssues(e, t, []));
  }
  const kept = m.resources().filter((r) => !isLocalConfig(r));
  applyBuildMetadata(t, kept);
  return { resources: orderOutput(t, kept), target: t };
}

/** kustomize's applySortOrder: `sortOptions` of the top kustomization, legacy order by default. */
function orderOutput(t: Target, resources: Resource[]): Resource[] {
  const so = t.k.sortOptions;
  if (!so) return sortLegacy(resources);
  const order = so.order ?? '';
  if (order !== 'fifo' && order !== 'legacy') {
    throw new BuildFailure([issueAt(t, ['sortOptions', 'order'], "the field 'sortOptions.order' must be one of [fifo, legacy]", 'InvalidSortOptions')]);
  }
  if (order === 'fifo') {
    if (so.legacySortOptions) {
      throw new BuildFailure([issueAt(t, ['sortOptions', 'legacySortOptions'], "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", 'InvalidSortOptions')]);
    }
    return resources;
  }
  if (!so.legacySortOptions) return sortLegacy(resources);
  return sortLegacy(resources, so.legacySortOptions.orderFirst ?? [], so.legacySortOptions.orderLast ?? []);
}

function isLocalConfig(r: Resource): boolean {
  const v = r.stringMap('annotations').get('config.kubernetes.io/local-config');
  return v !== undefined && v !== 'false';
}
