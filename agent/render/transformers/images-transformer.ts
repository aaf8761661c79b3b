/**
 * `images`: rewrites container images whose name matches (newName, newTag, digest, tagSuffix),
 * both in every `containers`/`initContainers` list anywhere in a resource (kustomize's legacy
 * walk) and at the image field specs; CRDs are left alone.
 */
import { walkFieldSpec, type FieldSpec } from '../kustomization/field-specs.js';
import type { ImageEntry } from '../kustomization/kustomization-file.js';
import type { ResMap } from '../kustomization/res-map.js';
import { TransformError } from './transform-error.js';
import { scalarText, type YNode } from '../yaml/yaml-value.js';

/** kustomize's image.Split: name, tag and digest of an image reference. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

function matcher(name: string): (s: string) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    throw new TransformError(`invalid image name "${name}"`, undefined, undefined, ['name']);
  }
  return (s) => re.test(s);
}

function updated(value: string, img: ImageEntry): string {
  let { name, tag, digest } = splitImage(value);
  if (img.newName) name = img.newName;
  if (img.newTag && img.digest) {
    tag = img.newTag;
    digest = img.digest;
  } else if (img.newTag) {
    tag = img.newTag;
    digest = '';
  } else if (img.digest) {
    tag = '';
    digest = img.digest;
  } else if (img.tagSuffix) {
    tag += img.tagSuffix;
    digest = '';
  }
  if (tag) name += `:${tag}`;
  if (digest) name += `@${digest}`;
  return name;
}

export function applyImage(m: ResMap, img: ImageEntry, specs: readonly FieldSpec[]): void {
  const matches = matcher(img.name ?? '');
  const setImage = (value: YNode | undefined, set: (v: YNode) => void): void => {
    if (value instanceof Map || Array.isArray(value)) throw new TransformError('wrong node kind: an image must be a scalar');
    const text = scalarText(value);
    if (!matches(text)) return;
    set(updated(text, img));
  };
  const walkContainers = (node: YNode): void => {
    if (node instanceof Map) {
      for (const [key, value] of node) {
        walkContainers(value);
        if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
          for (const c of value) {
            if (!(c instanceof Map)) throw new TransformError(`wrong node kind: ${key} elements must be mappings`);
            if (c.has('image')) setImage(c.get('image'), (v) => c.set('image', v));
          }
        }
      }
    } else if (Array.isArray(node)) node.forEach(walkContainers);
  };
  for (const r of m.resources()) {
    if (r.kind === 'CustomResourceDefinition') continue;
    TransformError.wrap(r, undefined, () => walkContainers(r.obj));
  }
  for (const r of m.resources()) {
    if (r.kind === 'CustomResourceDefinition') continue;
    for (const fs of specs) {
      TransformError.wrap(r, fs.path, () => walkFieldSpec(r.obj, fs, (slot) => setImage(slot.get(), (v) => slot.set(v)), undefined));
    }
  }
}
