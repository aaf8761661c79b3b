import { describe, expect, it } from 'vitest';
import { parseKustomization } from './kustomization-file.js';

const parse = (text: string) => parseKustomization(text, 'k/kustomization.yaml');

describe('parseKustomization decodes strictly, like kustomize', () => {
  it('reads the supported fields', () => {
    const r = parse('resources:\n- a.yaml\nnamePrefix: p-\ncommonLabels:\n  app: x\npatches:\n- path: p.yaml\n  target:\n    kind: Deployment\n  options:\n    allowNameChange: true\nreplicas:\n- name: web\n  count: 3\n');
    expect(r).toMatchObject({
      kustomization: {
        resources: ['a.yaml'],
        namePrefix: 'p-',
        commonLabels: { app: 'x' },
        patches: [{ path: 'p.yaml', target: { kind: 'Deployment' }, options: { allowNameChange: true } }],
        replicas: [{ name: 'web', count: 3 }],
      },
    });
  });

  it.each([
    ['field names match case-insensitively (encoding/json)', 'NamePrefix: p-\n', { namePrefix: 'p-' }],
    ['the last of duplicate keys wins (go-yaml v2)', 'namePrefix: a-\nnamePrefix: b-\n', { namePrefix: 'b-' }],
    ['null leaves a field unset', 'namePrefix: null\nnamespace: ns\n', { namespace: 'ns' }],
    ['a timestamp-looking value stays a string', 'namePrefix: 2020-01-01\n', { namePrefix: '2020-01-01' }],
    ['vars with Go field names in any case', 'vars:\n- name: SVC\n  objRef: {apiVersion: v1, kind: Service, name: web}\n  fieldref: {fieldpath: metadata.namespace}\n', { vars: [{ name: 'SVC', objref: { apiVersion: 'v1', kind: 'Service', name: 'web' }, fieldref: { fieldPath: 'metadata.namespace' } }] }],
    ['hex counts are numbers', 'replicas:\n- name: a\n  count: 0x10\n', { replicas: [{ name: 'a', count: 16 }] }],
  ])('%s', (_name, text, expected) => {
    expect(parse(text)).toMatchObject({ kustomization: expected });
  });

  it.each([
    ['a YAML 1.1 boolean where a string is expected', 'commonLabels:\n  gpu: y\n', '2:3', 'commonLabels.gpu', 'expected string, got a boolean'],
    ['a number where a string is expected', 'commonAnnotations:\n  priority: 10\n', '2:3', 'commonAnnotations.priority', 'expected string, got a number'],
    ['a list where a string is expected', 'namePrefix: [a]\n', '1:1', 'namePrefix', 'expected string, got a list'],
    ['a fraction as a count', 'replicas:\n- name: a\n  count: 1.5\n', '3:3', 'replicas[0].count', 'expected an integer'],
    ['an unknown top-level field', 'namePrefx: a\n', '1:1', 'namePrefx', 'unknown field "namePrefx"'],
    ['an unknown nested field', 'patches:\n- path: p.yaml\n  taget: {}\n', '3:3', 'patches[0].taget', 'unknown field "taget"'],
    ['helmCharts', 'helmCharts:\n- name: x\n', '1:1', 'helmCharts', 'unsupported field "helmCharts"'],
    ['validator plugins', 'validators:\n- v.yaml\n', '1:1', 'validators', 'unsupported field "validators"'],
    ['a var objref that is no mapping', 'vars:\n- name: X\n  objref: Service\n', '3:3', 'vars[0].objref', 'expected Target, got a string'],
    ['malformed YAML', 'resources: [a\n', '2:1', '', 'invalid YAML'],
  ])('reports %s with its position', (_name, text, pos, path, message) => {
    const r = parse(text);
    expect('issues' in r).toBe(true);
    const issue = (r as unknown as { issues: { line?: number; col?: number; path: (string | number)[]; message: string }[] }).issues[0]!;
    expect(`${issue.line}:${issue.col}`).toBe(pos);
    expect(issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')).toBe(path);
    expect(issue.message).toContain(message);
  });

  it('reports every problem, not just the first', () => {
    const r = parse('namePrefx: a\ncommonLabels:\n  a: 1\nhelmCharts: []\n');
    expect((r as { issues: unknown[] }).issues).toHaveLength(3);
  });
});
