/** Placeholder: replacements are implemented next. */
import type { ReplacementEntry } from './kustomization-file.js';
import type { ResMap } from './res-map.js';
import { TransformError } from './transform-error.js';
import type { TreeLoader } from './tree-loader.js';
import type { YamlLimits } from './yaml-parse.js';

export function loadReplacements(entries: readonly ReplacementEntry[], _loader: TreeLoader, _limits: YamlLimits): ReplacementEntry[] {
  return [...entries];
}
export function applyReplacements(_m: ResMap, _r: readonly ReplacementEntry[]): void {
  throw new TransformError('replacements is not implemented yet');
}
