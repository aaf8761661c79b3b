/**
 * namePrefix and nameSuffix: prepend/append to metadata.name (and any configured name field) of
 * every resource except CRDs, APIServices and Namespaces, recording the old id and the affix so
 * name references can follow.
 */
import { gvkSelected, walkFieldSpec, type FieldSpec, type Gvk } from '../kustomization/field-specs.js';
import type { ResMap } from '../kustomization/res-map.js';
import type { ResId } from '../kustomization/resource.js';
import { TransformError } from './transform-error.js';
import { scalarText } from '../yaml/yaml-value.js';

const SKIP: readonly Gvk[] = [
  { group: '', version: '', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', version: '', kind: 'APIService' },
  { group: '', version: '', kind: 'Namespace' },
];

function selected(id: ResId, g: Gvk): boolean {
  return gvkSelected(id, g);
}

export function applyNameAffix(m: ResMap, affix: string, fieldSpecs: readonly FieldSpec[], where: 'prefix' | 'suffix'): void {
  if (!affix) return;
  for (const r of m.resources()) {
    const id = r.orgId();
    if (SKIP.some((g) => selected(id, g))) continue;
    for (const fs of fieldSpecs) {
      if (!selected(id, fs)) continue;
      if (fs.path === 'metadata/name') {
        if (where === 'prefix') r.prefixes.push(affix);
        else r.suffixes.push(affix);
        r.storePreviousId();
      }
      TransformError.wrap(r, fs.path, () =>
        walkFieldSpec(
          r.obj,
          fs,
          (slot) => {
            const cur = slot.get();
            if (cur instanceof Map || Array.isArray(cur)) throw new TransformError(`wrong node kind: expected a scalar at ${fs.path}`);
            const text = scalarText(cur);
            slot.set(where === 'prefix' ? `${affix}${text}` : `${text}${affix}`);
          },
          'scalar',
        ),
      );
    }
  }
  m.invalidate();
}
