import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { FleetError, type Issue } from '../core/errors.js';
import { normalizeTreePath, type FileTree } from '../core/file-tree.js';
import {
  DEFAULT_METAL_API_URL,
  DEFAULT_PROVISIONING_TIMEOUT_SECONDS,
  ClusterDeletion,
  defaultPrunePolicy,
  fleetConfigSchema,
  type EnvironmentConfig,
  type FleetConfig,
} from './fleet-config.js';
import { findEnvironmentCycle } from './order-environments.js';
import { positionOf } from './yaml-position.js';

/** Codes of drover.yaml issues. */
export const FleetIssueCode = {
  FileNotFound: 'FileNotFound',
  YamlSyntax: 'YamlSyntax',
  Required: 'Required',
  InvalidType: 'InvalidType',
  InvalidValue: 'InvalidValue',
  UnknownField: 'UnknownField',
  DuplicateName: 'DuplicateName',
  UnknownEnvironment: 'UnknownEnvironment',
  Cycle: 'Cycle',
  PathNotFound: 'PathNotFound',
  NotKustomization: 'NotKustomization',
  /** Valid YAML over a safety limit (alias expansion), or an alias to no anchor. */
  YamlLimit: 'YamlLimit',
} as const;
export type FleetIssueCode = (typeof FleetIssueCode)[keyof typeof FleetIssueCode];

/** Alias expansions allowed in drover.yaml, as for resources (render's DEFAULT_YAML_LIMITS): bounds a billion-laughs document. */
const MAX_ALIAS_COUNT = 100;

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Reads and validates `file` (drover.yaml) from a fleet snapshot. Throws a FleetError listing
 * every problem, each with file:line:col and field path: YAML syntax, schema (types, unknown
 * fields, formats) and fleet rules (unique names, `after` names an environment, no cycles,
 * `path` is a kustomization directory in the tree).
 */
export function parseFleetConfig(tree: FileTree, file = 'drover.yaml'): FleetConfig {
  const bytes = tree.readFile(file);
  if (bytes === undefined) {
    const what = tree.stat(file) ? 'is not a regular file' : 'not found';
    throw new FleetError([{ code: FleetIssueCode.FileNotFound, file, path: [], message: `fleet configuration ${what}` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(new TextDecoder().decode(bytes), { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new FleetError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { code: FleetIssueCode.YamlSyntax, file, line: pos.line, col: pos.col, path: [], message: firstLine(e.message) };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError for an alias bomb or an alias to no anchor.
    const alias = firstAlias(doc);
    const pos = lineCounter.linePos(alias?.range?.[0] ?? doc.contents?.range?.[0] ?? 0);
    const why = /excessive alias count/i.test((e as Error).message)
      ? `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions); write the values out`
      : firstLine((e as Error).message);
    throw new FleetError([{ code: FleetIssueCode.YamlLimit, file, line: pos.line, col: pos.col, path: [], message: why }], { cause: e });
  }
  const at = (path: ReadonlyArray<string | number>, key?: string): Pick<Issue, 'file' | 'line' | 'col'> => {
    // An empty document has no node to point at: its start is where the content is missing.
    const pos = positionOf(doc, lineCounter, path, key) ?? { line: 1, col: 1 };
    return { file, line: pos.line, col: pos.col };
  };

  const parsed = fleetConfigSchema.safeParse(data);
  const issues: Issue[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => toIssues(i, data, at));
  issues.push(...checkFleetRules(data, tree, at));
  issues.push(...checkProviderRules(data, at));
  if (issues.length) throw new FleetError(sortByPosition(issues));
  // Both checks passed, so parsed.success holds.
  const input = (parsed as { data: z.output<typeof fleetConfigSchema> }).data;
  return freezeConfig(file, input);
}

type Locate = (path: ReadonlyArray<string | number>, key?: string) => Pick<Issue, 'file' | 'line' | 'col'>;

function toIssues(issue: z.core.$ZodIssue, data: unknown, at: Locate): Issue[] {
  let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // A scalar where a list is allowed (`after: staging`) reports against the scalar itself.
  if (path.length && typeof path[path.length - 1] === 'number' && !Array.isArray(valueAt(data, path.slice(0, -1)))) {
    path = path.slice(0, -1);
  }
  const value = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ code: FleetIssueCode.UnknownField, ...at(path, key), path: [...path, key], message: 'unknown field' }));
    case 'invalid_type':
      return value === undefined
        ? [{ code: FleetIssueCode.Required, ...at(path), path, message: 'required' }]
        : [{ code: FleetIssueCode.InvalidType, ...at(path), path, message: `expected ${expectedName(issue.expected)}, got ${describe(value)}` }];
    case 'invalid_value':
      return [{ code: FleetIssueCode.InvalidValue, ...at(path), path, message: `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}` }];
    case 'invalid_union':
      return [{ code: FleetIssueCode.InvalidType, ...at(path), path, message: `expected an environment name or a list of names, got ${describe(value)}` }];
    case 'too_small':
      return [{ code: FleetIssueCode.InvalidValue, ...at(path), path, message: issue.message.startsWith('Too small') ? `must be at least ${String(issue.minimum)}` : issue.message }];
    case 'too_big':
      return [{ code: FleetIssueCode.InvalidValue, ...at(path), path, message: issue.message.startsWith('Too big') ? `must be at most ${String(issue.maximum)}` : issue.message }];
    default:
      return [{ code: FleetIssueCode.InvalidValue, ...at(path), path, message: issue.message }];
  }
}

/** The rules a schema cannot express, checked on whatever parts of the input have the right shape. */
function checkFleetRules(data: unknown, tree: FileTree, at: Locate): Issue[] {
  const envs = (data as { environments?: unknown } | null)?.environments;
  if (!Array.isArray(envs)) return [];
  const issues: Issue[] = [];
  const firstIndex = new Map<string, number>();
  const afterOf = new Map<string, string[]>();
  envs.forEach((env: unknown, i) => {
    if (typeof env !== 'object' || env === null) return;
    const { name, path, after } = env as Record<string, unknown>;
    if (typeof name === 'string') {
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, i);
      else {
        const firstAt = at(['environments', first, 'name']);
        issues.push({ code: FleetIssueCode.DuplicateName, ...at(['environments', i, 'name']), path: ['environments', i, 'name'], message: `duplicate environment name "${name}" (first declared at line ${firstAt.line ?? '?'})` });
      }
    }
    if (typeof path === 'string' && path !== '') issues.push(...checkPath(path, tree, ['environments', i, 'path'], at));
    const afters = typeof after === 'string' ? [after] : Array.isArray(after) ? after.filter((a): a is string => typeof a === 'string') : [];
    if (typeof name === 'string' && !afterOf.has(name)) afterOf.set(name, afters);
  });
  envs.forEach((env: unknown, i) => {
    const after = (env as Record<string, unknown> | null)?.after;
    const list = typeof after === 'string' ? [after] : Array.isArray(after) ? after : [];
    list.forEach((a: unknown, j) => {
      if (typeof a !== 'string' || firstIndex.has(a)) return;
      const p = typeof after === 'string' ? ['environments', i, 'after'] : ['environments', i, 'after', j];
      issues.push({ code: FleetIssueCode.UnknownEnvironment, ...at(p), path: p, message: `names no environment: "${a}"` });
    });
  });
  const cycle = findEnvironmentCycle([...afterOf.keys()], (n) => (afterOf.get(n) ?? []).filter((a) => firstIndex.has(a)));
  if (cycle) {
    const i = firstIndex.get(cycle[0]!)!;
    issues.push({ code: FleetIssueCode.Cycle, ...at(['environments', i, 'after']), path: ['environments', i, 'after'], message: `promotion cycle: ${[...cycle].reverse().join(' → ')}` });
  }
  return issues;
}

/** `providers.equinixMetal`: one token source, and projects keyed by environments that exist. */
function checkProviderRules(data: unknown, at: Locate): Issue[] {
  const metal = valueAt(data, ['providers', 'equinixMetal']);
  if (typeof metal !== 'object' || metal === null) return [];
  const issues: Issue[] = [];
  const token = (metal as Record<string, unknown>).token;
  if (typeof token === 'object' && token !== null) {
    const t = token as Record<string, unknown>;
    const path = ['providers', 'equinixMetal', 'token'];
    if ((t.file === undefined) === (t.secret === undefined)) {
      issues.push({ code: FleetIssueCode.InvalidValue, ...at(path), path, message: 'give exactly one of file (a path) or secret ({namespace, name, key})' });
    }
  }
  const projects = (metal as Record<string, unknown>).projects;
  const envs = valueAt(data, ['environments']);
  const names = new Set(Array.isArray(envs) ? envs.map((e) => (e as Record<string, unknown> | null)?.name).filter((n) => typeof n === 'string') : []);
  if (typeof projects === 'object' && projects !== null && !Array.isArray(projects)) {
    for (const env of Object.keys(projects)) {
      const path = ['providers', 'equinixMetal', 'projects', env];
      if (!names.has(env)) issues.push({ code: FleetIssueCode.UnknownEnvironment, ...at(['providers', 'equinixMetal', 'projects'], env), path, message: `names no environment: "${env}"` });
    }
  }
  return issues;
}

function checkPath(raw: string, tree: FileTree, path: (string | number)[], at: Locate): Issue[] {
  const dir = normalizeTreePath(raw);
  if (raw.startsWith('/') || dir.split('/').includes('..')) {
    return [{ code: FleetIssueCode.InvalidValue, ...at(path), path, message: `must be a relative path inside the repository, got "${raw}"` }];
  }
  const stat = tree.stat(dir);
  if (stat?.type !== 'dir') {
    return [{ code: FleetIssueCode.PathNotFound, ...at(path), path, message: stat ? `"${raw}" is not a directory` : `directory "${raw}" not found in the repository` }];
  }
  if (!KUSTOMIZATION_FILES.some((f) => tree.stat(dir === '' ? f : `${dir}/${f}`))) {
    return [{ code: FleetIssueCode.NotKustomization, ...at(path), path, message: `"${raw}" has no kustomization.yaml` }];
  }
  return [];
}

function freezeConfig(file: string, input: z.output<typeof fleetConfigSchema>): FleetConfig {
  const environments: EnvironmentConfig[] = input.environments.map((e) =>
    Object.freeze({
      name: e.name,
      path: normalizeTreePath(e.path),
      namespace: e.namespace,
      after: Object.freeze(e.after === undefined ? [] : typeof e.after === 'string' ? [e.after] : [...new Set(e.after)]),
      prune: Object.freeze({ ...defaultPrunePolicy, ...e.prune }),
      provisioningTimeoutSeconds: e.provisioningTimeout ?? DEFAULT_PROVISIONING_TIMEOUT_SECONDS,
      allow: Object.freeze({ namespaces: Object.freeze([...new Set(e.allow?.namespaces ?? [])]), clusterScoped: Object.freeze([...new Set(e.allow?.clusterScoped ?? [])]) }),
    }),
  );
  return Object.freeze({
    file,
    environments: Object.freeze(environments),
    protections: Object.freeze({ clusterDeletion: input.protections?.clusterDeletion ?? ClusterDeletion.Annotation }),
    providers: Object.freeze(freezeProviders(input.providers)),
  });
}

function freezeProviders(input: z.output<typeof fleetConfigSchema>['providers']): FleetConfig['providers'] {
  const m = input?.equinixMetal;
  if (!m) return {};
  const token = m.token.file !== undefined ? { file: m.token.file } : { secret: Object.freeze({ ...m.token.secret! }) };
  return {
    equinixMetal: Object.freeze({
      apiURL: m.apiURL ?? DEFAULT_METAL_API_URL,
      token: Object.freeze(token),
      projects: Object.freeze({ ...(m.projects ?? {}) }),
      capacity: m.capacity ?? 'block',
    }),
  };
}

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function expectedName(expected: string): string {
  return expected === 'object' ? 'a map' : expected === 'array' ? 'a list' : expected;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
  return line.charAt(0).toLowerCase() + line.slice(1);
}

function sortByPosition(issues: Issue[]): Issue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || (a.issue.col ?? 0) - (b.issue.col ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}
