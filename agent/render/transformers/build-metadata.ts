/**
 * kustomize's `buildMetadata` of the top kustomization (Kustomizer.Run): `originAnnotations`
 * records where each resource came from in `config.kubernetes.io/origin` (the file, relative to
 * the built directory, or the generator and the kustomization that configured it);
 * `managedByLabel` labels every resource `app.kubernetes.io/managed-by`. Only the top
 * kustomization's list counts; values kustomize does not know are ignored, as kustomize does.
 * `transformerAnnotations` lists in `alpha.config.kubernetes.io/transformations` every built-in
 * transformer that ran over each resource, in order, with the file that configured it: a
 * transformer counts for every resource in the set it ran over, changed or not, and bases record
 * their own (kustomize records them in every build and prints them only when asked).
 */
import type { Target } from '../build-context.js';
import type { Resource } from '../kustomization/resource.js';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** What kubectl kustomize (kustomize v5.5.0 built into kubectl, no version stamped) writes. */
export const MANAGED_BY_VALUE = 'kustomize-(devel)';

/** A tree path relative to a directory of the tree, as filepath.Rel would give it. */
function relativeTo(dir: string, path: string): string {
  const from = dir === '' ? [] : dir.split('/');
  const to = path === '' ? [] : path.split('/');
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/') || '.';
}

function originOf(r: Resource, root: string): string {
  const where = relativeTo(root, r.origin.file);
  if (r.origin.generatedBy) {
    return `configuredIn: ${where}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${r.origin.generatedBy}\n`;
  }
  return `path: ${where}\n`;
}

function transformationsOf(r: Resource, root: string): string {
  return r.transformations
    .map((x) => `- configuredIn: ${relativeTo(root, x.configuredIn)}
  configuredBy:
    apiVersion: builtin
    kind: ${x.kind}
${x.name ? `    name: ${x.name}
` : ''}`)
    .join('');
}

export function applyBuildMetadata(t: Target, resources: readonly Resource[]): void {
  const opts = new Set(t.k.buildMetadata ?? []);
  if (opts.has('originAnnotations')) {
    for (const r of resources) {
      const a = r.stringMap('annotations');
      a.set(ORIGIN_ANNOTATION, originOf(r, t.loader.root));
      r.setStringMap('annotations', a);
    }
  }
  if (opts.has('transformerAnnotations')) {
    for (const r of resources) {
      if (r.transformations.length === 0) continue;
      const a = r.stringMap('annotations');
      a.set(TRANSFORMATIONS_ANNOTATION, transformationsOf(r, t.loader.root));
      r.setStringMap('annotations', a);
    }
  }
  if (opts.has('managedByLabel')) {
    for (const r of resources) {
      const l = r.stringMap('labels');
      l.set(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
      r.setStringMap('labels', l);
    }
  }
}
