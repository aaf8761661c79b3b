/**
 * kustomize's resource selection for patch and replacement targets: group, version, kind, name
 * and namespace as anchored regular expressions (name and namespace match the original or the
 * current id), plus label and annotation selectors.
 */
import type { Selector } from './kustomization-file.js';
import { parseLabelSelector, SelectorSyntaxError } from './label-selector.js';
import { effectiveNamespace, type Resource } from './resource.js';
import { TransformError } from '../transformers/transform-error.js';

export type ResourceMatcher = (r: Resource) => boolean;

function anchored(pattern: string | undefined, field: string): ((s: string) => boolean) | undefined {
  if (!pattern) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw new TransformError(`invalid ${field} regular expression "${pattern}": ${(e as Error).message}`, undefined, undefined, ['target', field]);
  }
  return (s) => re.test(s);
}

export function compileSelector(s: Selector): ResourceMatcher {
  const group = anchored(s.group, 'group');
  const version = anchored(s.version, 'version');
  const kind = anchored(s.kind, 'kind');
  const name = anchored(s.name, 'name');
  const namespace = anchored(s.namespace, 'namespace');
  let labels: ReturnType<typeof parseLabelSelector> | undefined;
  let annotations: ReturnType<typeof parseLabelSelector> | undefined;
  try {
    labels = s.labelSelector ? parseLabelSelector(s.labelSelector) : undefined;
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw new TransformError(e.message, undefined, undefined, ['target', 'labelSelector']);
    throw e;
  }
  try {
    annotations = s.annotationSelector ? parseLabelSelector(s.annotationSelector) : undefined;
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw new TransformError(e.message, undefined, undefined, ['target', 'annotationSelector']);
    throw e;
  }
  return (r) => {
    const cur = r.curId();
    const org = r.orgId();
    if (namespace && !namespace(effectiveNamespace(org)) && !namespace(effectiveNamespace(cur))) return false;
    if (name && !name(org.name) && !name(cur.name)) return false;
    if (group && !group(cur.group)) return false;
    if (version && !version(cur.version)) return false;
    if (kind && !kind(cur.kind)) return false;
    if (labels && !labels(r.stringMap('labels'))) return false;
    if (annotations && !annotations(r.stringMap('annotations'))) return false;
    return true;
  };
}
