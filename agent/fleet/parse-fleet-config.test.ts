import { describe, expect, it } from 'vitest';
import { FleetError } from '../core/errors.js';
import { fileTreeFromMap } from '../core/file-tree.js';
import { parseFleetConfig } from './parse-fleet-config.js';

const kustomization = 'resources: []\n';
const overlays = {
  'environments/staging/kustomization.yaml': kustomization,
  'environments/prod/kustomization.yaml': kustomization,
  'environments/qa/kustomization.yml': kustomization,
  'environments/empty/README.md': 'no kustomization here\n',
  'notadir.yaml': 'x: 1\n',
};

function errorText(yaml: string, extra: Record<string, string> = {}): string {
  try {
    parseFleetConfig(fileTreeFromMap({ ...overlays, ...extra, 'drover.yaml': yaml }));
  } catch (e) {
    expect(e).toBeInstanceOf(FleetError);
    return `${(e as FleetError).message}\n`;
  }
  throw new Error('expected a FleetError');
}

describe('parseFleetConfig', () => {
  it('reads environments with defaults and normalized paths', () => {
    const config = parseFleetConfig(
      fileTreeFromMap({
        ...overlays,
        'drover.yaml': [
          'apiVersion: drover.dev/v1alpha1',
          'kind: Fleet',
          'environments:',
          '  - name: staging',
          '    path: ./environments/staging/',
          '    namespace: fleet-staging',
          '  - name: prod',
          '    path: environments/prod',
          '    after: staging',
          '    prune: {maxDeletions: 2, allowEmpty: false}',
          '    provisioningTimeout: 1h30m',
          'protections:',
          '  clusterDeletion: never',
        ].join('\n'),
      }),
    );
    expect(config).toEqual({
      file: 'drover.yaml',
      environments: [
        { name: 'staging', path: 'environments/staging', namespace: 'fleet-staging', after: [], prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: false, allowClusterDeletions: 0 }, provisioningTimeoutSeconds: 1800, allow: { namespaces: [], clusterScoped: [] } },
        { name: 'prod', path: 'environments/prod', namespace: undefined, after: ['staging'], prune: { enabled: true, maxDeletions: 2, maxFraction: 0.1, allowEmpty: false, allowClusterDeletions: 0 }, provisioningTimeoutSeconds: 5400, allow: { namespaces: [], clusterScoped: [] } },
      ],
      protections: { clusterDeletion: 'never' },
      providers: {},
    });
    expect(Object.isFrozen(config.environments[0])).toBe(true);
  });

  it('accepts `after` as a list and a kustomization.yml', () => {
    const config = parseFleetConfig(
      fileTreeFromMap({
        ...overlays,
        'drover.yaml': 'environments:\n- {name: staging, path: environments/staging}\n- {name: qa, path: environments/qa}\n- {name: prod, path: environments/prod, after: [staging, qa]}\n',
      }),
    );
    expect(config.environments.map((e) => e.after)).toEqual([[], [], ['staging', 'qa']]);
    expect(config.protections.clusterDeletion).toBe('annotation');
  });

  it.each([
    ['missing-file', undefined],
    ['yaml-syntax', 'environments:\n  - name: staging\n    path: environments/staging\n    path: again\n  - [unclosed\n'],
    ['schema', [
      'kind: Fleat',
      'environments:',
      '  - name: Staging_1',
      '    path: 42',
      '    namespce: x',
      '    prune:',
      '      maxFraction: 1.5',
      '      enabled: "yes"',
      '    provisioningTimeout: 30 minutes',
      '  - path: environments/prod',
      '  - name: qa',
      'protections:',
      '  clusterDeletion: sometimes',
      'extra: true',
    ].join('\n')],
    ['rules', [
      'environments:',
      '  - name: staging',
      '    path: environments/staging',
      '    after: prod',
      '  - name: prod',
      '    path: environments/prod',
      '    after: [staging, nowhere]',
      '  - name: staging',
      '    path: ../outside',
      '  - name: qa',
      '    path: environments/empty',
      '  - name: dev',
      '    path: environments/missing',
      '  - name: file',
      '    path: notadir.yaml',
    ].join('\n')],
    ['empty-list', 'environments: []\n'],
    ['not-a-map', '- just\n- a list\n'],
    ['alias-bomb', [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
      'environments: *j',
    ].join('\n')],
    ['unresolved-alias', 'environments:\n  - name: staging\n    path: *nowhere\n'],
    ['allow', [
      'environments:',
      '  - name: staging',
      '    path: environments/staging',
      '    namespace: fleet-staging',
      '    allow:',
      '      namespaces: [capi-shared, Not_A_Label]',
      '      clusterScoped: [ClusterRole.rbac.authorization.k8s.io, clusterrole]',
      '      kinds: [Secret]',
    ].join('\n')],
  ])('reports every problem with file:line:col and field path (%s)', async (name, yaml) => {
    let text: string;
    if (yaml === undefined) {
      try {
        parseFleetConfig(fileTreeFromMap(overlays));
        throw new Error('expected a FleetError');
      } catch (e) {
        text = `${(e as Error).message}\n`;
      }
    } else text = errorText(yaml);
    await expect(text).toMatchFileSnapshot(`../../test/golden/fleet/${name}.txt`);
  });

  it('collects issues as data with positions', () => {
    try {
      parseFleetConfig(fileTreeFromMap({ ...overlays, 'drover.yaml': 'environments:\n  - name: a\n    path: environments/staging\n    after: b\n' }));
    } catch (e) {
      expect((e as FleetError).issues).toEqual([
        { code: 'UnknownEnvironment', file: 'drover.yaml', line: 4, col: 12, path: ['environments', 0, 'after'], message: 'names no environment: "b"' },
      ]);
      return;
    }
    throw new Error('expected a FleetError');
  });

  it('reads the allow-list of an environment (namespaces and cluster-scoped kinds beyond its namespace)', () => {
    const yaml = 'environments:\n  - name: staging\n    path: environments/staging\n    namespace: fleet-staging\n    allow:\n      namespaces: [capi-shared]\n      clusterScoped: [ClusterRole.rbac.authorization.k8s.io, Namespace]\n';
    const config = parseFleetConfig(fileTreeFromMap({ ...overlays, 'drover.yaml': yaml }));
    expect(config.environments[0]!.allow).toEqual({ namespaces: ['capi-shared'], clusterScoped: ['ClusterRole.rbac.authorization.k8s.io', 'Namespace'] });
  });
});
