import { describe, expect, it } from 'vitest';
import { fileTreeFromMap } from '../../core/file-tree.js';
import { buildKustomization } from '../index.js';

const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
const serviceWithSelector = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';

function selectorAndLabels(files: Record<string, string>): { selector: unknown; labels: unknown } {
  const [svc] = buildKustomization(fileTreeFromMap(files), 'top');
  return { selector: (svc!.spec as { selector?: unknown }).selector, labels: svc!.metadata!.labels };
}

describe('label fields share nodes across layers as in kustomize', () => {
  it.each([
    [
      'an overlay label without includeSelectors follows into selectors a base commonLabels created',
      { 'base/kustomization.yaml': 'resources:\n- svc.yaml\ncommonLabels:\n  app: gateway\n', 'base/svc.yaml': service, 'top/kustomization.yaml': 'resources:\n- ../base\nlabels:\n- pairs:\n    app: edge\n' },
      { selector: { app: 'edge' }, labels: { app: 'edge' } },
    ],
    [
      'a selector that already had the key keeps its own value',
      { 'base/kustomization.yaml': 'resources:\n- svc.yaml\ncommonLabels:\n  app: gateway\n', 'base/svc.yaml': serviceWithSelector, 'top/kustomization.yaml': 'resources:\n- ../base\nlabels:\n- pairs:\n    app: edge\n' },
      { selector: { app: 'gateway' }, labels: { app: 'edge' } },
    ],
    [
      'fields labelled by different transformers do not share',
      { 'base/kustomization.yaml': 'resources:\n- svc.yaml\nlabels:\n- pairs:\n    app: gateway\n', 'base/svc.yaml': service, 'mid/kustomization.yaml': 'resources:\n- ../base\nlabels:\n- pairs:\n    app: gateway\n  includeSelectors: true\n', 'top/kustomization.yaml': 'resources:\n- ../mid\nlabels:\n- pairs:\n    app: edge\n' },
      { selector: { app: 'gateway' }, labels: { app: 'edge' } },
    ],
  ])('%s', (_name, files, expected) => {
    expect(selectorAndLabels(files)).toEqual(expected);
  });
});
