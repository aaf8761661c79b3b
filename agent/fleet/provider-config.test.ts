import { describe, expect, it } from 'vitest';
import { FleetError } from '../core/errors.js';
import { fileTreeFromMap } from '../core/file-tree.js';
import { parseFleetConfig } from './parse-fleet-config.js';

const overlays = { 'environments/staging/kustomization.yaml': 'resources: []\n', 'environments/prod/kustomization.yaml': 'resources: []\n' };
const head = ['environments:', '  - {name: staging, path: environments/staging}', '  - {name: prod, path: environments/prod, after: staging}'];

function parse(lines: string[]) {
  return parseFleetConfig(fileTreeFromMap({ ...overlays, 'drover.yaml': [...head, ...lines, ''].join('\n') }));
}
function errorText(lines: string[]): string {
  try {
    parse(lines);
  } catch (e) {
    expect(e).toBeInstanceOf(FleetError);
    return (e as FleetError).message;
  }
  throw new Error('expected a FleetError');
}

describe('drover.yaml providers block', () => {
  it('has no providers when the block is absent', () => {
    expect(parse([]).providers).toEqual({});
  });

  it('reads Equinix Metal with defaults', () => {
    const config = parse([
      'providers:',
      '  equinixMetal:',
      '    token: {secret: {namespace: drover-system, name: metal, key: token}}',
      '    projects:',
      '      staging: 5b2e4f0c-8a7d-4c61-9e3f-2d1a6b7c8e90',
    ]);
    expect(config.providers).toEqual({
      equinixMetal: {
        apiURL: 'https://api.equinix.com/metal/v1',
        token: { secret: { namespace: 'drover-system', name: 'metal', key: 'token' } },
        projects: { staging: '5b2e4f0c-8a7d-4c61-9e3f-2d1a6b7c8e90' },
        capacity: 'block',
      },
    });
  });

  it('reports every problem with file:line:col and field path', () => {
    expect(
      errorText([
        'providers:',
        '  equinixMetal:',
        '    apiURL: ftp://metal',
        '    token: {file: /run/metal, secret: {name: metal, key: token}}',
        '    projects:',
        '      staging: not-a-uuid',
        '      qa: 5b2e4f0c-8a7d-4c61-9e3f-2d1a6b7c8e90',
        '    capacity: maybe',
        '  aws: {}',
      ]),
    ).toBe(
      [
        'drover.yaml:6:13 providers.equinixMetal.apiURL: must be an http(s) URL',
        'drover.yaml:7:12 providers.equinixMetal.token: give exactly one of file (a path) or secret ({namespace, name, key})',
        'drover.yaml:9:16 providers.equinixMetal.projects.staging: must be a project UUID',
        'drover.yaml:10:7 providers.equinixMetal.projects.qa: names no environment: "qa"',
        'drover.yaml:11:15 providers.equinixMetal.capacity: must be one of "block", "warn", got "maybe"',
        'drover.yaml:12:3 providers.aws: unknown field',
      ].join('\n'),
    );
  });
});
