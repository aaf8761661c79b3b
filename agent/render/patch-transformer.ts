/** Placeholder: patches are implemented next. */
import type { PatchEntry, FieldLocator } from './kustomization-file.js';
import type { ResMap } from './res-map.js';
import { TransformError } from './transform-error.js';
import type { TreeLoader } from './tree-loader.js';
import type { YamlLimits } from './yaml-parse.js';

export function applyPatchesStrategicMerge(_m: ResMap, _paths: readonly string[], _loader: TreeLoader, _limits: YamlLimits, _locate: FieldLocator): void {
  throw new TransformError('patchesStrategicMerge is not implemented yet');
}
export function applyPatchEntry(_m: ResMap, _p: PatchEntry, _loader: TreeLoader, _limits: YamlLimits): void {
  throw new TransformError('patches is not implemented yet');
}
export function applyJson6902Entry(_m: ResMap, _p: PatchEntry, _loader: TreeLoader): void {
  throw new TransformError('patchesJson6902 is not implemented yet');
}
