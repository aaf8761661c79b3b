import type { KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import { addedMachines, computeMachineDemand, type MachineDemand } from './machine-demand.js';
import { ProviderFindingCode, type CapacityRequest, type HourlyPrice, type InfrastructureProvider, type MachineShape, type ProviderFinding } from './provider.js';
import type { ProviderSet } from './provider-set.js';

/**
 * What the providers said about one environment's plan, as data for the plan stage: findings
 * (attributed to a cluster when they concern one) and the hourly cost change per cluster.
 */
export interface ProviderReport {
  readonly findings: readonly ReportedFinding[];
  readonly costs: readonly ClusterCost[];
}

export interface ReportedFinding {
  /** `namespace/name` of the Cluster it concerns; undefined: the environment. */
  readonly cluster?: string | undefined;
  readonly severity: 'block' | 'warn';
  readonly code: string;
  readonly message: string;
}

/** The change in hourly cost of one cluster: machines added (count > 0) or removed, by shape. */
export interface ClusterCost {
  readonly cluster: string;
  /** Sum over the priced items, in `currency`. */
  readonly perHour: number;
  readonly currency: string;
  readonly items: readonly CostItem[];
}

export interface CostItem {
  /** Machines more (positive) or fewer (negative). */
  readonly count: number;
  readonly type: string;
  readonly location: string;
  /** Price of one machine per hour; undefined when the provider has none (left out of the sum). */
  readonly perHour?: number | undefined;
}

export interface ProviderReportInput {
  readonly desired: readonly KubeObject[];
  readonly live: readonly KubeObject[];
  readonly owned?: ReadonlySet<string> | undefined;
  /** refKey → `namespace/name` of the Cluster the object belongs to. */
  readonly clusterOf: (key: string) => string | undefined;
  /** How a capacity shortfall counts (drover.yaml `capacity`). Default block. */
  readonly capacityPolicy?: 'block' | 'warn' | undefined;
}

const NO_REPORT: ProviderReport = Object.freeze({ findings: [], costs: [] });

/**
 * Asks each configured provider about the desired objects: validation, capacity for the
 * machines the plan adds, and prices for the cost change. A provider that cannot be reached
 * gives one `warn` finding (`provider-unavailable`) and no other answer: its checks are skipped,
 * never guessed. No providers: no calls and an empty report.
 */
export async function fetchProviderReport(providers: ProviderSet, input: ProviderReportInput): Promise<ProviderReport> {
  if (providers.empty) return NO_REPORT;
  const findings: ReportedFinding[] = [];
  const down = new Set<InfrastructureProvider>();
  const unavailable = (p: InfrastructureProvider, e: unknown): void => {
    if (down.has(p)) return;
    down.add(p);
    findings.push({ severity: 'warn', code: ProviderFindingCode.ProviderUnavailable, message: `${p.name}: provider checks skipped: ${(e as Error).message}` });
  };
  const attribute = (f: ProviderFinding, clusters?: readonly string[]): ReportedFinding => {
    const fromObject = f.object ? input.clusterOf(refKey(f.object)) : undefined;
    const unique = clusters && new Set(clusters).size === 1 ? clusters[0] : undefined;
    return { cluster: fromObject ?? unique, severity: f.severity, code: f.code, message: f.message };
  };

  for (const p of providers.providers) {
    const mine = input.desired.filter((o) => providers.providerOf(o) === p);
    if (!mine.length) continue;
    try {
      findings.push(...(await p.validate(mine)).map((f) => attribute(f)));
    } catch (e) {
      unavailable(p, e);
    }
  }

  const demands = computeMachineDemand({ desired: input.desired, live: input.live, owned: input.owned, providerFor: (g, k) => providers.providerFor(g, k) });
  for (const p of providers.providers) {
    if (down.has(p)) continue;
    const requests = toCapacityRequests(demands.filter((d) => d.provider === p));
    if (!requests.length) continue;
    try {
      const policy = input.capacityPolicy ?? 'block';
      for (const f of await p.capacity(requests)) {
        const asked = f.shape && requests.find((r) => r.shape.type === f.shape!.type && r.shape.location === f.shape!.location);
        const clusters = demands.filter((d) => asked?.for.includes(d.owner)).map((d) => d.cluster);
        findings.push(attribute(f.code === ProviderFindingCode.OverCapacity ? { ...f, severity: policy } : f, clusters));
      }
    } catch (e) {
      unavailable(p, e);
    }
  }

  const costs = await priceDemands(demands.filter((d) => !down.has(d.provider)), unavailable);
  return { findings, costs };
}

/** Added machines summed per shape, naming the control planes and pools that ask. Pure. */
export function toCapacityRequests(demands: readonly MachineDemand[]): CapacityRequest[] {
  const byShape = new Map<string, { shape: MachineShape; quantity: number; for: string[] }>();
  for (const d of demands) {
    const added = addedMachines(d);
    if (added <= 0 || !d.to) continue;
    const key = `${d.to.shape.type}|${d.to.shape.location}`;
    const r = byShape.get(key) ?? { shape: d.to.shape, quantity: 0, for: [] };
    r.quantity += added;
    r.for.push(d.owner);
    byShape.set(key, r);
  }
  return [...byShape.values()];
}

async function priceDemands(demands: readonly MachineDemand[], unavailable: (p: InfrastructureProvider, e: unknown) => void): Promise<ClusterCost[]> {
  // Net machine count per cluster and shape: a template swap is −n of the old, +n of the new.
  const perCluster = new Map<string, Map<string, { provider: InfrastructureProvider; shape: MachineShape; count: number }>>();
  const add = (d: MachineDemand, shape: MachineShape, n: number): void => {
    const shapes = perCluster.get(d.cluster) ?? new Map();
    perCluster.set(d.cluster, shapes);
    const key = `${shape.type}|${shape.location}`;
    const e = shapes.get(key) ?? { provider: d.provider, shape, count: 0 };
    e.count += n;
    shapes.set(key, e);
  };
  for (const d of demands) {
    if (d.from) add(d, d.from.shape, -d.from.replicas);
    if (d.to) add(d, d.to.shape, d.to.replicas);
  }
  const costs: ClusterCost[] = [];
  for (const [cluster, shapes] of [...perCluster].sort(([a], [b]) => a.localeCompare(b))) {
    const items: CostItem[] = [];
    let perHour = 0;
    let currency = 'USD';
    for (const e of shapes.values()) {
      if (e.count === 0) continue;
      let price: HourlyPrice | undefined;
      try {
        price = await e.provider.price(e.shape);
      } catch (err) {
        unavailable(e.provider, err);
      }
      if (price) {
        perHour += e.count * price.perHour;
        currency = price.currency;
      }
      items.push({ count: e.count, type: e.shape.type, location: e.shape.location, perHour: price?.perHour });
    }
    if (items.length) costs.push({ cluster, perHour: Math.round(perHour * 10_000) / 10_000, currency, items: items.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)) });
  }
  return costs;
}
