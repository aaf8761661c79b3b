/**
 * The `namespace` field: sets metadata.namespace on every namespaced resource (kinds kustomize's
 * schema does not know are namespaced), the namespace field specs (a v1 Namespace's own name, an
 * APIService's service, a CRD's conversion webhook), and the namespace of (Cluster)RoleBinding
 * subjects named "default".
 */
import { walkFieldSpec, type FieldSpec } from '../kustomization/field-specs.js';
import { idKey, type Resource } from '../kustomization/resource.js';
import type { ResMap } from '../kustomization/res-map.js';
import { isClusterScoped } from '../data/kind-info.js';
import { TransformError } from './transform-error.js';
import { scalarText, type YNode } from '../yaml/yaml-value.js';

/** Which (Cluster)RoleBinding subjects get the namespace (the NamespaceTransformer's setRoleBindingSubjects). */
export const ROLE_BINDING_SUBJECT_MODES = ['defaultOnly', 'none', 'allServiceAccounts'] as const;
export type RoleBindingSubjectMode = (typeof ROLE_BINDING_SUBJECT_MODES)[number];

export interface NamespaceOptions {
  /** Only fill namespace fields that are absent or empty. */
  readonly unsetOnly: boolean;
  readonly subjects: RoleBindingSubjectMode;
}

const DEFAULT_OPTIONS: NamespaceOptions = { unsetOnly: false, subjects: 'defaultOnly' };

function setString(value: string, unsetOnly: boolean) {
  return (slot: { get(): YNode | undefined; set(v: YNode): void }) => {
    const cur = slot.get();
    if (cur instanceof Map || Array.isArray(cur)) throw new TransformError('namespace field specs must target scalar nodes');
    if (unsetOnly && scalarText(cur) !== '') return;
    slot.set(value);
  };
}

export function applyNamespace(m: ResMap, namespace: string, fieldSpecs: readonly FieldSpec[], options: NamespaceOptions = DEFAULT_OPTIONS): void {
  if (!namespace) return;
  for (const r of m.resources()) {
    if (r.isEmpty()) continue;
    r.storePreviousId();
    const apiVersion = r.apiVersion;
    const kind = r.kind;
    const specs = fieldSpecs.filter((fs) => fs.path !== 'metadata/namespace' && (apiVersion === 'v1' || fs.path !== 'metadata/name'));
    if (!isClusterScoped(apiVersion, kind)) {
      walkFieldSpec(r.obj, { group: '', version: '', kind: '', path: 'metadata/namespace', create: true }, setString(namespace, options.unsetOnly), 'scalar');
    }
    let effective = specs;
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      effective = specs.filter((fs) => !((fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding') && fs.path === 'subjects/namespace'));
      setSubjects(r, namespace, options);
    }
    for (const fs of effective) TransformError.wrap(r, fs.path, () => walkFieldSpec(r.obj, fs, setString(namespace, options.unsetOnly), 'scalar'));
  }
  m.invalidate();
  const seen = new Map<string, Resource>();
  for (const r of m.resources()) {
    const key = idKey(r.curId());
    if (seen.has(key)) throw new TransformError(`namespace transformation produces ID conflict: ${r.kind}/${r.name} in namespace "${namespace}"`);
    seen.set(key, r);
  }
}

/** Subjects named "default" (or, when asked, every ServiceAccount subject) move to the namespace. */
function setSubjects(r: Resource, namespace: string, options: NamespaceOptions): void {
  if (options.subjects === 'none') return;
  const subjects = r.obj.get('subjects');
  if (!Array.isArray(subjects)) return;
  const [field, wanted] = options.subjects === 'allServiceAccounts' ? ['kind', 'ServiceAccount'] : ['name', 'default'];
  for (const s of subjects) {
    if (!(s instanceof Map) || scalarText(s.get(field)) !== wanted) continue;
    if (options.unsetOnly && scalarText(s.get('namespace')) !== '') continue;
    s.set('namespace', namespace);
  }
}
