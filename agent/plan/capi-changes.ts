import { isCapiKind, isCluster, isPool } from '../core/capi-rules.js';
import { formatPath } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';
import { ChangeType, type Change } from './plan.js';
import { isRecord, valueAt, type FieldDiff, type FieldPath } from './object-diff.js';

/**
 * Turns the field diffs of one object into Cluster API changes: replica counts are resizes,
 * versions upgrades, swapped machine template or bootstrap references template swaps (with the
 * machines that roll); whatever is left is one update listing its paths.
 */
export function classifyChanges(object: string, live: KubeObject, after: KubeObject, diffs: readonly FieldDiff[]): Change[] {
  const rules = rulesFor(after);
  const changes: Change[] = [];
  const claimed = new Set<string>();
  const rest: FieldDiff[] = [];
  for (const d of diffs) {
    const hit = matchRule(rules, d.path);
    if (!hit) {
      rest.push(d);
      continue;
    }
    const { rule, prefix } = hit;
    const id = formatPath(prefix);
    if (claimed.has(id)) continue;
    claimed.add(id);
    const from = valueAt(live, prefix);
    const to = valueAt(after, prefix);
    const swap = rule.type === ChangeType.TemplateSwap;
    changes.push({
      type: rule.type,
      object,
      path: id,
      target: rule.target(prefix, after),
      from: swap ? refName(from) : from,
      to: swap ? refName(to) : to,
      machines: rule.rolls?.(live),
    });
  }
  if (rest.length) {
    const rolling = rules.find((r) => r.type === ChangeType.Update);
    const rolls = rolling && rest.some((d) => matchRule([rolling], d.path)) ? rolling.rolls?.(live) : undefined;
    const target = rolling && rolls !== undefined ? rolling.target([], after) : undefined;
    changes.push({ type: ChangeType.Update, object, paths: [...new Set(rest.map((d) => formatPath(d.path)))], target, machines: rolls });
  }
  return changes;
}

interface Rule {
  /** A path pattern; `*` matches one list index. */
  readonly pattern: ReadonlyArray<string | number>;
  readonly type: ChangeType;
  /** Which control plane or pool: "control plane", a MachineDeployment name, a topology pool name. */
  readonly target: (prefix: FieldPath, after: KubeObject) => string | undefined;
  /** Machines that roll, from the live object. */
  readonly rolls?: (live: KubeObject) => number | undefined;
}

function rulesFor(after: KubeObject): Rule[] {
  const name = after.metadata.name;
  const replicas = (o: KubeObject) => numberAt(o, ['spec', 'replicas']);
  if (groupOf(after.apiVersion).startsWith('controlplane.')) {
    const cp = () => 'control plane';
    return [
      { pattern: ['spec', 'replicas'], type: ChangeType.Resize, target: cp },
      { pattern: ['spec', 'version'], type: ChangeType.Upgrade, target: cp, rolls: replicas },
      { pattern: ['spec', 'machineTemplate', 'spec', 'infrastructureRef'], type: ChangeType.TemplateSwap, target: cp, rolls: replicas },
      { pattern: ['spec', 'machineTemplate', 'infrastructureRef'], type: ChangeType.TemplateSwap, target: cp, rolls: replicas },
    ];
  }
  if (isPool(after)) {
    const pool = () => name;
    return [
      { pattern: ['spec', 'replicas'], type: ChangeType.Resize, target: pool },
      { pattern: ['spec', 'template', 'spec', 'version'], type: ChangeType.Upgrade, target: pool, rolls: replicas },
      { pattern: ['spec', 'template', 'spec', 'infrastructureRef'], type: ChangeType.TemplateSwap, target: pool, rolls: replicas },
      { pattern: ['spec', 'template', 'spec', 'bootstrap', 'configRef'], type: ChangeType.TemplateSwap, target: pool, rolls: replicas },
      // Any other change to the machine template rolls the pool too.
      { pattern: ['spec', 'template'], type: ChangeType.Update, target: pool, rolls: replicas },
    ];
  }
  if (isCluster(after) && isRecord(valueAt(after, ['spec', 'topology']))) {
    const workers = (kind: string) => (prefix: FieldPath, obj: KubeObject) => {
      const item = valueAt(obj, prefix.slice(0, 5));
      return `${kind} ${isRecord(item) && typeof item.name === 'string' ? item.name : String(prefix[4])}`;
    };
    return [
      { pattern: ['spec', 'topology', 'version'], type: ChangeType.Upgrade, target: () => name, rolls: topologyMachines },
      { pattern: ['spec', 'topology', 'controlPlane', 'replicas'], type: ChangeType.Resize, target: () => 'control plane' },
      { pattern: ['spec', 'topology', 'workers', 'machineDeployments', '*', 'replicas'], type: ChangeType.Resize, target: workers('pool') },
      { pattern: ['spec', 'topology', 'workers', 'machinePools', '*', 'replicas'], type: ChangeType.Resize, target: workers('machine pool') },
      { pattern: ['spec', 'topology', 'classRef'], type: ChangeType.TemplateSwap, target: () => name, rolls: topologyMachines },
      { pattern: ['spec', 'topology', 'class'], type: ChangeType.TemplateSwap, target: () => name, rolls: topologyMachines },
    ];
  }
  return [];
}

function matchRule(rules: readonly Rule[], path: FieldPath): { rule: Rule; prefix: FieldPath } | undefined {
  for (const rule of rules) {
    if (path.length < rule.pattern.length) continue;
    const prefix = path.slice(0, rule.pattern.length);
    if (rule.pattern.every((seg, i) => (seg === '*' ? typeof prefix[i] === 'number' : seg === prefix[i]))) return { rule, prefix };
  }
  return undefined;
}

/** Control plane plus worker replicas of a topology Cluster, from its live spec. */
function topologyMachines(live: KubeObject): number | undefined {
  let n = numberAt(live, ['spec', 'topology', 'controlPlane', 'replicas']) ?? 0;
  for (const list of ['machineDeployments', 'machinePools']) {
    const items = valueAt(live, ['spec', 'topology', 'workers', list]);
    if (Array.isArray(items)) for (const it of items) n += isRecord(it) && typeof it.replicas === 'number' ? it.replicas : 0;
  }
  return n || undefined;
}

function numberAt(o: KubeObject, path: FieldPath): number | undefined {
  const v = valueAt(o, path);
  return typeof v === 'number' ? v : undefined;
}

/** A reference's name (`{apiGroup, kind, name}` → name); other values as they are. */
function refName(v: unknown): unknown {
  return isRecord(v) && typeof v.name === 'string' ? v.name : v;
}

/** Machine templates, bootstrap config templates and control plane templates: immutable by convention. */
export function isMachineTemplate(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  const group = groupOf(obj.apiVersion);
  if (!/(^|\.)cluster\.x-k8s\.io$/.test(group) || !obj.kind.endsWith('Template')) return false;
  return !isCapiKind(obj, 'ClusterClass');
}
