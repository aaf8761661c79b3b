/**
 * `replicas`: sets the count on resources of the given name (original or current) whose kind has
 * a replicas field spec (Deployment, ReplicationController, ReplicaSet, StatefulSet, plus any a
 * `configurations` file adds, e.g. CAPI MachineDeployment); kustomize's error when none has.
 */
import { gvkSelected, walkFieldSpec, type FieldSpec } from '../kustomization/field-specs.js';
import type { ResMap } from '../kustomization/res-map.js';
import type { Resource } from '../kustomization/resource.js';
import { TransformError } from './transform-error.js';
import { YScalar } from '../yaml/yaml-value.js';

function gvkString(fs: FieldSpec): string {
  return `${fs.kind || '[noKind]'}.${fs.version || '[noVer]'}.${fs.group || '[noGrp]'}`;
}

export function applyReplicas(m: ResMap, replica: { name?: string; count?: number }, specs: readonly FieldSpec[]): void {
  const name = replica.name ?? '';
  const count = new YScalar('int', String(replica.count ?? 0));
  let found = false;
  for (const fs of specs) {
    const matches: Resource[] = m.resources().filter((r) => [...r.prevIds(), r.curId()].some((id) => id.name === name && gvkSelected(id, fs)));
    if (matches.length === 0) continue;
    found = true;
    for (const r of matches) {
      TransformError.wrap(r, fs.path, () =>
        walkFieldSpec(
          r.obj,
          fs,
          (slot) => {
            const cur = slot.get();
            if (cur instanceof Map || Array.isArray(cur)) throw new TransformError(`expected a scalar at ${fs.path}`);
            slot.set(count);
          },
          'scalar',
        ),
      );
    }
  }
  if (!found) {
    const kinds = [...new Set(specs.map((s) => s.kind || gvkString(s)))];
    const list = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}` : kinds[0] ?? 'no kind';
    throw new TransformError(`no ${list} named "${name}": replicas applies only to kinds with a replicas field spec (add one in configurations for other kinds)`, undefined, undefined, ['name']);
  }
}
