/**
 * Loading one kustomization directory: finding its single kustomization file, decoding it, folding
 * deprecated aliases into their replacements (kustomize's FixKustomization) and the checks
 * kustomize makes before building (not empty, a known kind and apiVersion).
 */
import type { Issue } from '../../core/errors.js';
import { BuildFailure, KustomizationFileError, issueAt, type BuildContext, type Target } from '../build-context.js';
import { parseKustomization, type Kustomization } from './kustomization-file.js';
import type { TreeLoader } from './tree-loader.js';

const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function loadTarget(ctx: BuildContext, loader: TreeLoader, depth: number): Target {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => loader.isFile(n));
  const dirName = loader.root || '.';
  if (found.length === 0) {
    throw new KustomizationFileError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory "${dirName}"`, 'MissingKustomization', dirName);
  }
  if (found.length > 1) {
    throw new KustomizationFileError(`found multiple kustomization files in directory "${dirName}": ${found.join(', ')}`, 'MultipleKustomizations', dirName);
  }
  const { path, data } = loader.load(found[0]!);
  const parsed = parseKustomization(Buffer.from(data).toString('utf8'), path, {
    maxAliasCount: ctx.options.maxAliasCount,
    maxDocumentBytes: ctx.options.maxDocumentBytes,
  });
  if ('issues' in parsed) throw new BuildFailure(parsed.issues);
  const k = fixKustomization(parsed.kustomization);
  const t: Target = { loader, k, file: path, locate: parsed.locate, depth };
  const issues: Issue[] = [];
  const empty = Object.keys(k).every((key) => key === 'kind' || key === 'apiVersion');
  if (empty) issues.push(issueAt(t, [], 'kustomization is empty', 'EmptyKustomization'));
  const kind = k.kind ?? 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') issues.push(issueAt(t, ['kind'], 'kind should be Kustomization or Component', 'InvalidKind'));
  const required = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (k.apiVersion && k.apiVersion !== required) issues.push(issueAt(t, ['apiVersion'], `apiVersion for ${kind} should be ${required}`, 'InvalidApiVersion'));
  if (issues.length) throw new BuildFailure(issues);
  return t;
}

/** kustomize's FixKustomization: deprecated aliases folded into their replacements. */
function fixKustomization(k: Kustomization): Kustomization {
  const out: Kustomization = { ...k };
  if (k.bases !== undefined) {
    out.resources = [...(k.resources ?? []), ...k.bases];
    delete out.bases;
  }
  if (k.imageTags !== undefined) {
    out.images = [...(k.images ?? []), ...k.imageTags];
    delete out.imageTags;
  }
  for (const key of ['configMapGenerator', 'secretGenerator'] as const) {
    const gens = k[key];
    if (gens) out[key] = gens.map((g) => (g.env ? { ...g, envs: [...(g.envs ?? []), g.env], env: '' } : g));
  }
  return out;
}
