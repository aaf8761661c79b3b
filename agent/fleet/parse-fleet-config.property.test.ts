import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FleetError } from '../core/errors.js';
import { fileTreeFromMap } from '../core/file-tree.js';
import { parseFleetConfig } from './parse-fleet-config.js';

const overlays = { 'environments/staging/kustomization.yaml': 'resources: []\n', 'environments/prod/kustomization.yaml': 'resources: []\n' };

/** Parses and returns what was thrown (undefined when it parsed). */
function thrown(text: string): unknown {
  try {
    parseFleetConfig(fileTreeFromMap({ ...overlays, 'drover.yaml': text }));
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectLocated(e: unknown): void {
  if (e === undefined) return;
  expect(e).toBeInstanceOf(FleetError);
  for (const issue of (e as FleetError).issues) {
    expect(issue.file).toBe('drover.yaml');
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.col).toBeGreaterThanOrEqual(1);
  }
}

/** Pieces of drover.yaml text, some valid, some hostile (anchors, aliases, merge keys, tags, odd scalars). */
const token = fc.constantFrom(
  'environments:', '  - name: staging', '    path: environments/staging', '  - name: prod', '    path: environments/prod', '    after: staging',
  '    prune: {maxDeletions: 2}', '    prune: {maxFraction: .nan}', '    provisioningTimeout: 1h', 'protections: {clusterDeletion: never}',
  'a: &a [x, x, x]', 'b: &b [*a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c]', 'environments: *a', 'environments: *zz',
  '<<: *a', '<<: {x: 1}', '  <<: *a', '? [a, b]', ': x', '!!binary x', '!custom {a: 1}', '---', '...', '%YAML 1.2', '"\\u0000"', "'", '{', '[', '- ', '  -', '\t',
  'environments: [{name: staging, path: environments/staging, after: [staging]}]', 'apiVersion: drover.dev/v1alpha1', 'kind: Fleet', '__proto__: {x: 1}',
  'environments: [{name: &n staging, path: environments/staging}, {name: *n, path: environments/prod}]', '1e999: x', '0x1F: y',
);

describe('parseFleetConfig (properties)', { timeout: 120_000 }, () => {
  it('never throws anything but a FleetError whose every issue is located, for line soup', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (lines) => {
        expectLocated(thrown(lines.join('\n')));
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('never throws anything but a located FleetError, for any YAML value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.anything(), (value, extra) => {
        expectLocated(thrown(stringify(value)));
        expectLocated(thrown(stringify({ environments: [{ name: 'staging', path: 'environments/staging', prune: value, after: extra }] })));
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('never throws anything but a located FleetError, for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expectLocated(thrown(text));
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
