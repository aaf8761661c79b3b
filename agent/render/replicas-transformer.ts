/** Placeholder: replicas are implemented next. */
import type { FieldSpec } from './field-specs.js';
import type { ResMap } from './res-map.js';
import { TransformError } from './transform-error.js';

export function applyReplicas(_m: ResMap, _r: { name?: string; count?: number }, _specs: readonly FieldSpec[]): void {
  throw new TransformError('replicas is not implemented yet');
}
