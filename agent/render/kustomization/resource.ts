/**
 * One resource during a build: its object plus the build metadata kustomize tracks in internal
 * annotations (previous names/namespaces/kinds, applied prefixes and suffixes, generator
 * behavior, hash-suffix flag). Drover keeps that metadata beside the object instead.
 */
import { isClusterScoped } from '../data/kind-info.js';
import { cloneNode, ensureMapPath, getPath, scalarText, type YMap, type YNode } from '../yaml/yaml-value.js';

export const DEFAULT_NAMESPACE = 'default';
export const NOT_NAMESPACEABLE = '_non_namespaceable_';

export interface ResId {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Only ids made from a resource's current state know they are cluster-scoped. */
  readonly clusterScoped: boolean;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function effectiveNamespace(id: ResId): string {
  if (id.clusterScoped) return NOT_NAMESPACEABLE;
  return id.namespace === '' || id.namespace === DEFAULT_NAMESPACE ? DEFAULT_NAMESPACE : id.namespace;
}

/** The key of kustomize's ResId.Equals: same group, version, kind, name and effective namespace. */
export function idKey(id: ResId): string {
  return `${id.group}\u0000${id.version}\u0000${id.kind}\u0000${effectiveNamespace(id)}\u0000${id.name}`;
}

/** An id as messages print objects: `Kind/namespace/name`, `*` for parts a selector leaves open. */
export function describeResId(id: Pick<ResId, 'kind' | 'name' | 'namespace'>): string {
  return `${id.kind || '*'}/${id.namespace ? `${id.namespace}/` : ''}${id.name || '*'}`;
}

/** kustomize's ResId.String(): `Kind.version.group/name.namespace`. */
export function formatResId(id: Pick<ResId, 'group' | 'version' | 'kind' | 'name' | 'namespace'>): string {
  return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

export type Behavior = 'unspecified' | 'create' | 'merge' | 'replace';

export interface PreviousId {
  readonly name: string;
  readonly namespace: string;
  readonly kind: string;
}

/** Where a resource came from, for error messages. */
export interface ResourceOrigin {
  readonly file: string;
  readonly line?: number | undefined;
  /** Set for generated resources: the built-in generator that made it (`file` is its kustomization). */
  readonly generatedBy?: 'ConfigMapGenerator' | 'SecretGenerator' | undefined;
}

/** A transformer that ran over a resource, for kustomize's `buildMetadata: [transformerAnnotations]`. */
export interface TransformationRecord {
  /** Repo-relative path of the file that configured it (a kustomization, or a plugin config file). */
  readonly configuredIn: string;
  readonly kind: string;
  /** `metadata.name` of a plugin configuration from `transformers:`. */
  readonly name?: string | undefined;
}

export class Resource {
  prev: PreviousId[] = [];
  /** Every transformer that ran over this resource, in order (the records are shared, never mutated). */
  transformations: TransformationRecord[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  behavior: Behavior = 'unspecified';
  needsHashSuffix = false;
  allowNameChange = false;
  allowKindChange = false;
  /** Names of the `vars` whose objref picked this resource (kustomize's refVarNames). */
  refVarNames: string[] = [];
  /**
   * Label fields that share one YAML node in kustomize: a label transformer puts ONE node into
   * every field that lacked the key, so a later write to any of them changes them all. Each group
   * lists its fields as (mapping, key).
   */
  labelAliases: (readonly [YMap, string])[][] = [];

  constructor(
    public obj: YMap,
    readonly origin: ResourceOrigin,
  ) {}

  get apiVersion(): string {
    return scalarText(this.obj.get('apiVersion'));
  }
  get kind(): string {
    return scalarText(this.obj.get('kind'));
  }
  get name(): string {
    return scalarText(getPath(this.obj, ['metadata', 'name']));
  }
  get namespace(): string {
    return scalarText(getPath(this.obj, ['metadata', 'namespace']));
  }

  setName(name: string): void {
    ensureMapPath(this.obj, ['metadata']).set('name', name);
  }
  /** kyaml's SetNamespace: an empty namespace removes the field. */
  setNamespace(ns: string): void {
    const meta = ensureMapPath(this.obj, ['metadata']);
    if (ns === '') meta.delete('namespace');
    else meta.set('namespace', ns);
  }
  setKind(kind: string): void {
    this.obj.set('kind', kind);
  }

  metadataMap(field: 'labels' | 'annotations'): YMap | undefined {
    const v = getPath(this.obj, ['metadata', field]);
    return v instanceof Map ? v : undefined;
  }

  /** Labels or annotations as kyaml's GetLabels reads them: every value as its text. */
  stringMap(field: 'labels' | 'annotations'): Map<string, string> {
    const out = new Map<string, string>();
    const m = this.metadataMap(field);
    if (m) for (const [k, v] of m) out.set(k, scalarText(v));
    return out;
  }

  /** kyaml's SetLabels/SetAnnotations: replaces the map with string values, dropping it when empty. */
  setStringMap(field: 'labels' | 'annotations', values: ReadonlyMap<string, string>): void {
    const meta = ensureMapPath(this.obj, ['metadata']);
    meta.delete(field);
    if (values.size === 0) return;
    const m: YMap = new Map();
    for (const k of [...values.keys()].sort()) m.set(k, values.get(k)!);
    meta.set(field, m);
  }

  curId(): ResId {
    const { group, version } = splitApiVersion(this.apiVersion);
    const kind = this.kind;
    return { group, version, kind, name: this.name, namespace: this.namespace, clusterScoped: isClusterScoped(this.apiVersion, kind) };
  }

  prevIds(): ResId[] {
    if (this.prev.length === 0) return [];
    const { group, version } = splitApiVersion(this.apiVersion);
    return this.prev.map((p) => ({ group, version, kind: p.kind, name: p.name, namespace: p.namespace, clusterScoped: false }));
  }

  /** The id the resource had when first loaded. */
  orgId(): ResId {
    return this.prevIds()[0] ?? this.curId();
  }

  /** kustomize's StorePreviousId: remembers the current name, effective namespace and kind. */
  storePreviousId(): void {
    const id = this.curId();
    this.prev.push({ name: id.name, namespace: effectiveNamespace(id), kind: id.kind });
  }

  clone(): Resource {
    if (this.labelAliases.length === 0) {
      const r = new Resource(cloneNode(this.obj), this.origin);
      r.copyMetaFrom(this);
      return r;
    }
    const copies = new Map<YMap, YMap>();
    const r = new Resource(cloneTracked(this.obj, copies), this.origin);
    r.copyMetaFrom(this);
    r.labelAliases = this.labelAliases
      .map((g) => g.filter(([m]) => copies.has(m)).map(([m, k]) => [copies.get(m)!, k] as const))
      .filter((g) => g.length > 1);
    return r;
  }

  copyMetaFrom(o: Resource): void {
    this.prev = [...o.prev];
    this.prefixes = [...o.prefixes];
    this.suffixes = [...o.suffixes];
    this.behavior = o.behavior;
    this.needsHashSuffix = o.needsHashSuffix;
    this.allowNameChange = o.allowNameChange;
    this.allowKindChange = o.allowKindChange;
    this.refVarNames = [...o.refVarNames];
    this.transformations = [...o.transformations];
  }

  /** A resource emptied by a `$patch: delete`. */
  isEmpty(): boolean {
    return this.obj.size === 0;
  }
}

/** cloneNode that records which copy each mapping became. */
function cloneTracked(m: YMap, copies: Map<YMap, YMap>): YMap {
  const out: YMap = new Map();
  copies.set(m, out);
  for (const [k, v] of m) out.set(k, cloneValue(v, copies));
  return out;
}

function cloneValue(v: YNode, copies: Map<YMap, YMap>): YNode {
  if (v instanceof Map) return cloneTracked(v, copies);
  if (Array.isArray(v)) return v.map((x) => cloneValue(x, copies));
  return v;
}

export function getField(obj: YNode | undefined, path: readonly string[]): YNode | undefined {
  return getPath(obj, path);
}
