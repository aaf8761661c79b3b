/** Placeholder: images are implemented next. */
import type { FieldSpec } from './field-specs.js';
import type { ImageEntry } from './kustomization-file.js';
import type { ResMap } from './res-map.js';
import { TransformError } from './transform-error.js';

export function applyImage(_m: ResMap, _img: ImageEntry, _specs: readonly FieldSpec[]): void {
  throw new TransformError('images is not implemented yet');
}
