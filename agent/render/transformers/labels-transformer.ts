/**
 * `labels`, `commonLabels` and `commonAnnotations`: sets each key on every field its field specs
 * name (metadata, selectors, pod templates), creating maps where a spec says `create`.
 */
import { mergeFieldSpecs, walkFieldSpec, type FieldSpec, type TransformerConfig } from '../kustomization/field-specs.js';
import type { LabelEntry } from '../kustomization/kustomization-file.js';
import type { ResMap } from '../kustomization/res-map.js';
import { TransformError } from './transform-error.js';
import type { YMap } from '../yaml/yaml-value.js';

/**
 * Sets `pairs` (sorted by key, as kustomize applies them) at every field `specs` name. With
 * `aliasing` (labels), follows kustomize's node sharing: the fields that lacked a key all receive
 * one shared node (they become aliases), and writing a key that already exists overwrites that
 * node in place, so every alias of it changes too, including fields these specs do not name.
 */
export function applyMapEntries(m: ResMap, pairs: Readonly<Record<string, string>> | undefined, specs: readonly FieldSpec[], aliasing = false): void {
  const keys = Object.keys(pairs ?? {}).sort();
  if (keys.length === 0) return;
  for (const r of m.resources()) {
    for (const k of keys) {
      const value = pairs![k]!;
      const fresh: (readonly [YMap, string])[] = [];
      for (const fs of specs) {
        TransformError.wrap(r, fs.path, () =>
          walkFieldSpec(
            r.obj,
            fs,
            (slot) => {
              const target = slot.get();
              if (!(target instanceof Map)) throw new TransformError(`wrong node kind: expected a mapping at ${fs.path}`);
              if (!aliasing) {
                target.set(k, value);
                return;
              }
              if (!target.has(k)) {
                target.set(k, value);
                fresh.push([target, k]);
                return;
              }
              const isHere = ([mm, kk]: readonly [YMap, string]): boolean => mm === target && kk === k;
              const group = r.labelAliases.find((g) => g.some(isHere)) ?? (fresh.some(isHere) ? fresh : undefined);
              if (group) for (const [mm, kk] of group) mm.set(kk, value);
              else target.set(k, value);
            },
            'map',
          ),
        );
      }
      if (fresh.length > 1) r.labelAliases.push(fresh);
    }
  }
}

/** The field specs of one `labels` entry (kustomize's LabelTransformer configuration). */
export function labelFieldSpecs(label: LabelEntry, tc: TransformerConfig): FieldSpec[] {
  let fss = mergeFieldSpecs(
    (label.fields ?? []).map((f) => ({ group: f.group ?? '', version: f.version ?? '', kind: f.kind ?? '', path: f.path ?? '', create: f.create ?? false })),
    tc.labels,
  );
  if (label.includeSelectors) return mergeFieldSpecs(fss, tc.commonLabels);
  if (label.includeTemplates) fss = mergeFieldSpecs(fss, tc.templateLabels);
  return mergeFieldSpecs(fss, [{ group: '', version: '', kind: '', path: 'metadata/labels', create: true }]);
}
