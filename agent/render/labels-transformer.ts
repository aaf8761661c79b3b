/**
 * `labels`, `commonLabels` and `commonAnnotations`: sets each key on every field its field specs
 * name (metadata, selectors, pod templates), creating maps where a spec says `create`.
 */
import { mergeFieldSpecs, walkFieldSpec, type FieldSpec, type TransformerConfig } from './field-specs.js';
import type { LabelEntry } from './kustomization-file.js';
import type { ResMap } from './res-map.js';
import { TransformError } from './transform-error.js';

/** Sets `pairs` (sorted by key, as kustomize applies them) at every field `specs` name. */
export function applyMapEntries(m: ResMap, pairs: Readonly<Record<string, string>> | undefined, specs: readonly FieldSpec[]): void {
  const keys = Object.keys(pairs ?? {}).sort();
  if (keys.length === 0) return;
  for (const r of m.resources()) {
    for (const k of keys) {
      for (const fs of specs) {
        TransformError.wrap(r, fs.path, () =>
          walkFieldSpec(
            r.obj,
            fs,
            (slot) => {
              const target = slot.get();
              if (!(target instanceof Map)) throw new TransformError(`wrong node kind: expected a mapping at ${fs.path}`);
              target.set(k, pairs![k]!);
            },
            'map',
          ),
        );
      }
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
