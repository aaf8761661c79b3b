/**
 * Name references (kustomize's nameReference back-references): after prefixes, suffixes,
 * namespaces and hash suffixes changed names, every field that names another resource (a
 * Deployment's configMapRef, a RoleBinding's subjects, a CAPI Cluster's infrastructureRef once
 * `configurations` declares it) is pointed at the new name. A referral candidate must have been
 * renamed from the old name, be of the referenced kind, and be visible from the referrer's
 * namespace; ties are broken by matching prefixes and suffixes, as kustomize does.
 *
 * Candidates are indexed by previous name, and the referrer-independent filtering of a name is
 * done once per pass, so the pass stays linear in the number of references when many overlays
 * of one base refer to the same names (a fleet of a thousand clusters).
 */
import { gvkSelected, walkFieldSpec, type FieldSpec, type Gvk, type NameBackReference } from '../kustomization/field-specs.js';
import { effectiveNamespace, describeResId, type ResId, type Resource } from '../kustomization/resource.js';
import { TransformError } from './transform-error.js';
import type { YScalar} from '../yaml/yaml-value.js';
import { isNullish, scalarText, type YMap, type YNode } from '../yaml/yaml-value.js';

const NOT_NAMESPACEABLE = '_non_namespaceable_';

interface Info {
  readonly cur: ResId;
  readonly prev: ResId[];
  readonly org: ResId;
  readonly position: number;
}

interface Index {
  readonly info: Map<Resource, Info>;
  /** Renamed resources by previous name. */
  readonly byPrevName: Map<string, Resource[]>;
  /** Namespaced renamed resources by previous name and current effective namespace. */
  readonly byPrevNameNs: Map<string, Resource[]>;
  /** Cluster-scoped renamed resources by previous name. */
  readonly byPrevNameCluster: Map<string, Resource[]>;
  readonly all: readonly Resource[];
  /**
   * Candidates that passed the referrer-independent filters (previous name, kind, namespace
   * visibility), by everything those filters read. In a fleet, a hundred overlays of one base
   * refer to the same old name from the same namespace: the filters run once, not a hundred times.
   */
  readonly visible: Map<string, Visible>;
}

/** Filtered candidates, in resource order, with those carrying prefixes grouped by the last one. */
interface Visible {
  readonly list: readonly Resource[];
  readonly byLastPrefix: ReadonlyMap<string, readonly Resource[]>;
  readonly noPrefix: readonly Resource[];
}

function visibleOf(list: Resource[]): Visible {
  const byLastPrefix = new Map<string, Resource[]>();
  const noPrefix: Resource[] = [];
  for (const r of list) {
    if (r.prefixes.length === 0) noPrefix.push(r);
    else push(byLastPrefix, r.prefixes[r.prefixes.length - 1]!, r);
  }
  return { list, byLastPrefix, noPrefix };
}

function buildIndex(resources: readonly Resource[]): Index {
  const idx: Index = { info: new Map(), byPrevName: new Map(), byPrevNameNs: new Map(), byPrevNameCluster: new Map(), all: resources, visible: new Map() };
  resources.forEach((r, position) => {
    const cur = r.curId();
    const prev = r.prevIds();
    idx.info.set(r, { cur, prev, org: prev[0] ?? cur, position });
    for (const name of new Set(prev.map((p) => p.name))) {
      push(idx.byPrevName, name, r);
      if (cur.clusterScoped) push(idx.byPrevNameCluster, name, r);
      else push(idx.byPrevNameNs, `${name}\u0000${effectiveNamespace(cur)}`, r);
    }
  });
  return idx;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function sameEndingSubSlice(a: readonly string[], b: readonly string[]): boolean {
  let shortest = a;
  let longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

function affixesEqual(r: Resource, o: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const eitherPrefixEmpty = r.prefixes.length === 0 || o.prefixes.length === 0;
    const eitherSuffixEmpty = r.suffixes.length === 0 || o.suffixes.length === 0;
    return (eitherPrefixEmpty || sameEndingSubSlice(r.prefixes, o.prefixes)) && (eitherSuffixEmpty || sameEndingSubSlice(r.suffixes, o.suffixes));
  }
  return sameEndingSubSlice(r.prefixes, o.prefixes) && sameEndingSubSlice(r.suffixes, o.suffixes);
}

class ReferrerContext {
  private subsetCache: Resource[] | undefined;
  private readonly curId: ResId;
  private readonly roleBindingNamespaces: Set<string>;

  constructor(
    readonly referrer: Resource,
    private readonly idx: Index,
  ) {
    this.curId = idx.info.get(referrer)!.cur;
    this.roleBindingNamespaces = namespacesForRoleBinding(referrer);
  }

  /** Renamed resources once named `name` that the referrer could see, in resource order. */
  candidatesNamed(name: string): Resource[] {
    if (this.curId.clusterScoped) return this.idx.byPrevName.get(name) ?? [];
    const ns = effectiveNamespace(this.curId);
    const parts = [this.idx.byPrevNameNs.get(`${name}\u0000${ns}`) ?? [], this.idx.byPrevNameCluster.get(name) ?? []];
    if (this.roleBindingNamespaces.size > 0) parts.push((this.idx.byPrevName.get(name) ?? []).filter((r) => this.roleBindingNamespaces.has(r.namespace)));
    const nonEmpty = parts.filter((p) => p.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
    const merged = [...new Set(nonEmpty.flat())];
    return merged.sort((a, b) => this.idx.info.get(a)!.position - this.idx.info.get(b)!.position);
  }

  /** kustomize's SubsetThatCouldBeReferencedByResource. */
  subset(): Resource[] {
    if (!this.subsetCache) {
      const refNs = effectiveNamespace(this.curId);
      this.subsetCache = this.curId.clusterScoped
        ? [...this.idx.all]
        : this.idx.all.filter((r) => {
            const id = this.idx.info.get(r)!.cur;
            return id.clusterScoped || effectiveNamespace(id) === refNs || this.roleBindingNamespaces.has(r.namespace);
          });
    }
    return this.subsetCache;
  }

  /**
   * What candidatesNamed and sameCurrentNamespace read of the referrer, as a key; undefined when
   * the referrer is a RoleBinding naming ServiceAccounts in other namespaces (not memoised).
   */
  visibilityKey(): string | undefined {
    if (this.roleBindingNamespaces.size > 0) return undefined;
    return this.curId.clusterScoped ? '\u0001' : effectiveNamespace(this.curId);
  }

  sameCurrentNamespace(r: Resource): boolean {
    if (this.curId.clusterScoped) return true;
    const id = this.idx.info.get(r)!.cur;
    if (id.clusterScoped) return true;
    if (r.kind === 'ServiceAccount') return true;
    return effectiveNamespace(this.curId) === effectiveNamespace(id);
  }
}

function namespacesForRoleBinding(r: Resource): Set<string> {
  const out = new Set<string>();
  if (r.kind !== 'RoleBinding') return out;
  const subjects = r.obj.get('subjects');
  if (!Array.isArray(subjects)) return out;
  for (const s of subjects) {
    if (!(s instanceof Map) || !s.has('namespace') || !s.has('kind')) continue;
    if (scalarText(s.get('kind')) !== 'ServiceAccount') continue;
    const ns = s.get('namespace');
    if (typeof ns !== 'string') throw new TransformError(`Invalid Input: namespace is blank for resource ${describeResId(r.curId())}`, TransformError.refOf(r));
    out.add(ns);
  }
  return out;
}

function roleRefGvk(referrer: Resource): Gvk | undefined {
  const roleRef = referrer.obj.get('roleRef');
  if (!(roleRef instanceof Map)) return undefined;
  if (!roleRef.has('apiGroup') || !roleRef.has('kind')) return undefined;
  return { group: scalarText(roleRef.get('apiGroup')), version: '', kind: scalarText(roleRef.get('kind')) };
}

class ReferralSelector {
  constructor(
    private readonly ctx: ReferrerContext,
    readonly idx: Index,
    private readonly target: Gvk,
    private readonly roleRef: Gvk | undefined,
  ) {}

  /** Candidates named `oldName` of the target kind that the referrer can see, in resource order. */
  private filtered(oldName: string, pool: ReadonlySet<Resource> | undefined): Resource[] {
    let c = pool ? (this.idx.byPrevName.get(oldName) ?? []).filter((r) => pool.has(r)) : this.ctx.candidatesNamed(oldName);
    c = c.filter((r) => this.idx.info.get(r)!.prev.some((id) => gvkSelected(id, this.target)));
    if (this.roleRef) {
      const rr = this.roleRef;
      c = c.filter((r) => this.idx.info.get(r)!.prev.some((id) => gvkSelected(id, rr)));
    }
    return c.filter((r) => this.ctx.sameCurrentNamespace(r));
  }

  /** `filtered`, memoised per pass when it depends only on the key's parts (no pool). */
  private visible(oldName: string, pool: ReadonlySet<Resource> | undefined): Visible | Resource[] {
    const vis = pool ? undefined : this.ctx.visibilityKey();
    if (vis === undefined) return this.filtered(oldName, pool);
    const gvk = (g: Gvk | undefined) => (g ? `${g.group}/${g.version}/${g.kind}` : '');
    const key = `${oldName}\u0000${vis}\u0000${gvk(this.target)}\u0000${gvk(this.roleRef)}`;
    let v = this.idx.visible.get(key);
    if (!v) this.idx.visible.set(key, (v = visibleOf(this.filtered(oldName, pool))));
    return v;
  }

  select(oldName: string, pool: ReadonlySet<Resource> | undefined, identical: (rs: Resource[]) => boolean): Resource | undefined {
    const v = this.visible(oldName, pool);
    const all = Array.isArray(v) ? v : v.list;
    if (all.length === 1) return all[0];
    // affixesEqual (either mode) against a referrer with prefixes passes only candidates without
    // prefixes or whose last prefix is the referrer's: look at those alone.
    const own = this.ctx.referrer.prefixes;
    let looked: readonly Resource[] = all;
    if (!Array.isArray(v) && own.length > 0) {
      const same = v.byLastPrefix.get(own[own.length - 1]!) ?? [];
      looked = v.noPrefix.length === 0 ? same : same.length === 0 ? v.noPrefix : [...same, ...v.noPrefix].sort((a, b) => this.idx.info.get(a)!.position - this.idx.info.get(b)!.position);
    }
    let c = looked.filter((r) => affixesEqual(r, this.ctx.referrer, true));
    if (c.length > 1) c = c.filter((r) => affixesEqual(r, this.ctx.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    throw new TransformError(`found multiple possible referrals: ${c.map((r) => describeResId(r.curId())).join(', ')}`, TransformError.refOf(this.ctx.referrer));
  }
}

const allNamesSame = (rs: Resource[]): boolean => rs.every((r) => r.name === rs[0]!.name);
const allNamesAndNamespacesSame = (rs: Resource[]): boolean => rs.every((r) => r.name === rs[0]!.name && r.namespace === rs[0]!.namespace);

function candidatesForNamespace(ctx: ReferrerContext, idx: Index, namespace: string): Resource[] {
  const subset = ctx.subset();
  const byOrg = subset.filter((r) => {
    const ns = effectiveNamespace(idx.info.get(r)!.org);
    return ns !== NOT_NAMESPACEABLE && ns === namespace;
  });
  if (byOrg.length > 0) return byOrg;
  return subset.filter((r) => {
    const id = idx.info.get(r)!.cur;
    return !id.clusterScoped && effectiveNamespace(id) === namespace;
  });
}

function updateField(node: YNode | undefined, set: (v: YNode) => void, sel: ReferralSelector, ctx: ReferrerContext): void {
  if (node === undefined || isNullish(node)) return;
  if (node instanceof Map) return updateMapping(node, sel, ctx);
  if (Array.isArray(node)) {
    node.forEach((el, i) => {
      if (el instanceof Map) updateMapping(el, sel, ctx);
      else if (Array.isArray(el)) throw new TransformError('is expected to be either a string or a map of string');
      else if (!isNullish(el)) updateScalar(el, (v) => (node[i] = v), sel);
    });
    return;
  }
  updateScalar(node, set, sel);
}

function updateScalar(node: string | YScalar, set: (v: YNode) => void, sel: ReferralSelector): void {
  const old = scalarText(node);
  const referral = sel.select(old, undefined, allNamesSame);
  if (!referral || referral.name === old) return;
  set(referral.name);
}

function updateMapping(node: YMap, sel: ReferralSelector, ctx: ReferrerContext): void {
  if (!node.has('name')) throw new TransformError("path config error; no 'name' field in node");
  const pool = node.has('namespace') ? new Set(candidatesForNamespace(ctx, sel.idx, scalarText(node.get('namespace')))) : undefined;
  const old = scalarText(node.get('name'));
  const referral = sel.select(old, pool, allNamesAndNamespacesSame);
  if (!referral) return;
  if (referral.name === old && referral.namespace === '') return;
  node.set('name', referral.name);
  if (referral.namespace === '') return;
  node.set('namespace', referral.namespace);
}

/** kustomize's nameReferenceTransformer over the final resources. */
export function fixNameReferences(resources: readonly Resource[], backRefs: readonly NameBackReference[]): void {
  const idx = buildIndex(resources);
  if (idx.byPrevName.size === 0) return;
  const byKind = new Map<string, Resource[]>();
  for (const r of resources) push(byKind, idx.info.get(r)!.org.kind, r);
  const work = new Map<Resource, { spec: FieldSpec; target: Gvk }[]>();
  for (const br of backRefs) {
    for (const spec of br.referrers) {
      for (const r of spec.kind ? (byKind.get(spec.kind) ?? []) : resources) {
        if (!gvkSelected(idx.info.get(r)!.org, spec)) continue;
        let l = work.get(r);
        if (!l) work.set(r, (l = []));
        l.push({ spec, target: br });
      }
    }
  }
  for (const [r, filters] of work) {
    const ctx = new ReferrerContext(r, idx);
    for (const { spec, target } of filters) {
      const roleRef = spec.path.endsWith('roleRef/name') ? roleRefGvk(r) : undefined;
      const sel = new ReferralSelector(ctx, idx, target, roleRef);
      const apiVersion = r.apiVersion;
      const { group, version } = splitGv(apiVersion);
      const fs: FieldSpec = { group, version, kind: r.kind, path: spec.path, create: false };
      TransformError.wrap(r, spec.path, () => walkFieldSpec(r.obj, fs, (slot) => updateField(slot.get(), (v) => slot.set(v), sel, ctx), undefined));
    }
  }
}

function splitGv(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

