/**
 * The transformers of one kustomization, in kustomize's fixed order: patchesStrategicMerge,
 * patches, namespace, namePrefix, nameSuffix, labels and commonLabels, commonAnnotations,
 * patchesJson6902, replicas, images, replacements; then the built-in transformer configurations
 * of `transformers:`. Emptied resources are dropped after each.
 */
import { BuildFailure, toIssues, type Accumulated, type BuildContext, type Target } from './build-context.js';
import { PluginConfigError, applyBuiltinTransformer, pluginIssue, type PluginConfig } from './builtin-plugins.js';
import { applyImage } from './transformers/images-transformer.js';
import { applyMapEntries, labelFieldSpecs } from './transformers/labels-transformer.js';
import { applyNameAffix } from './transformers/name-affix-transformer.js';
import { applyNamespace } from './transformers/namespace-transformer.js';
import { applyJson6902Entry, applyPatchEntry, applyPatchesStrategicMerge } from './transformers/patch-transformer.js';
import { applyReplacements, loadReplacements } from './transformers/replacements.js';
import { applyReplicas } from './transformers/replicas-transformer.js';
import type { ResMap } from './kustomization/res-map.js';
import type { TransformationRecord } from './kustomization/resource.js';
import { scalarText, getPath } from './yaml/yaml-value.js';
import { TransformError } from './transformers/transform-error.js';
import { useOpenApi } from './load-openapi.js';

/** What kustomize names the built-in transformer each kustomization field configures. */
const STEP_KINDS: Readonly<Record<string, string>> = {
  patchesStrategicMerge: 'PatchStrategicMergeTransformer',
  patches: 'PatchTransformer',
  namespace: 'NamespaceTransformer',
  namePrefix: 'PrefixTransformer',
  nameSuffix: 'SuffixTransformer',
  labels: 'LabelTransformer',
  commonLabels: 'LabelTransformer',
  commonAnnotations: 'AnnotationsTransformer',
  patchesJson6902: 'PatchJson6902Transformer',
  replicas: 'ReplicaCountTransformer',
  images: 'ImageTagTransformer',
  replacements: 'ReplacementTransformer',
};

/** Records a transformer on every resource it ran over (kustomize's transformer annotations). */
function recordTransformation(m: ResMap, record: TransformationRecord): void {
  for (const r of m.resources()) r.transformations.push(record);
}

function step(t: Target, m: ResMap, path: (string | number)[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new BuildFailure(toIssues(e, t, path));
  } finally {
    m.dropEmpties();
    m.invalidate();
  }
  recordTransformation(m, { configuredIn: t.file, kind: STEP_KINDS[path[0] as string]! });
}

export function runTransformers(ctx: BuildContext, t: Target, acc: Accumulated, plugins: readonly PluginConfig[] = []): void {
  const k = t.k;
  const m = acc.resMap;
  const tc = acc.config;
  const merges = Boolean(k.patches?.length || k.patchesStrategicMerge?.length || plugins.length);
  const api = (() => {
    try {
      return useOpenApi(ctx, merges ? undefined : m.resources());
    } catch (e) {
      throw new BuildFailure(toIssues(e, t, []));
    }
  })();
  const limits = { maxAliasCount: ctx.options.maxAliasCount, maxDocumentBytes: ctx.options.maxDocumentBytes };
  if (k.patchesStrategicMerge?.length) step(t, m, ['patchesStrategicMerge'], () => applyPatchesStrategicMerge(m, k.patchesStrategicMerge!, t.loader, limits, t.locate, api));
  (k.patches ?? []).forEach((p, i) => step(t, m, ['patches', i], () => applyPatchEntry(m, p, t.loader, limits, api)));
  if (k.namespace) step(t, m, ['namespace'], () => applyNamespace(m, k.namespace!, tc.namespace));
  if (k.namePrefix) step(t, m, ['namePrefix'], () => applyNameAffix(m, k.namePrefix!, tc.namePrefix, 'prefix'));
  if (k.nameSuffix) step(t, m, ['nameSuffix'], () => applyNameAffix(m, k.nameSuffix!, tc.nameSuffix, 'suffix'));
  if (k.labels?.length || (k.commonLabels && Object.keys(k.commonLabels).length)) {
    (k.labels ?? []).forEach((label, i) =>
      step(t, m, ['labels', i], () => applyMapEntries(m, label.pairs, labelFieldSpecs(label, tc), true)),
    );
    step(t, m, ['commonLabels'], () => applyMapEntries(m, k.commonLabels, tc.commonLabels, true));
  }
  if (k.commonAnnotations && Object.keys(k.commonAnnotations).length) {
    step(t, m, ['commonAnnotations'], () => applyMapEntries(m, k.commonAnnotations, tc.commonAnnotations));
  }
  (k.patchesJson6902 ?? []).forEach((p, i) => step(t, m, ['patchesJson6902', i], () => applyJson6902Entry(m, p, t.loader)));
  (k.replicas ?? []).forEach((r, i) => step(t, m, ['replicas', i], () => applyReplicas(m, r, tc.replicas)));
  (k.images ?? []).forEach((img, i) => step(t, m, ['images', i], () => applyImage(m, img, tc.images)));
  if (k.replacements?.length) {
    const reps = (() => {
      try {
        return loadReplacements(k.replacements!, t.loader, limits);
      } catch (e) {
        throw new BuildFailure(toIssues(e, t, ['replacements']));
      }
    })();
    step(t, m, ['replacements'], () => applyReplacements(m, reps));
  }
  for (const cfg of plugins) {
    try {
      applyBuiltinTransformer(t, m, cfg, limits, api);
    } catch (e) {
      if (e instanceof PluginConfigError) throw new BuildFailure([e.issue]);
      if (e instanceof TransformError) throw new BuildFailure([pluginIssue(t, cfg, e)]);
      throw new BuildFailure(toIssues(e, t, cfg.path));
    } finally {
      m.dropEmpties();
      m.invalidate();
    }
    const name = scalarText(getPath(cfg.res.obj, ['metadata', 'name']));
    recordTransformation(m, { configuredIn: cfg.res.origin.file, kind: cfg.res.kind, ...(name ? { name } : {}) });
  }
}
