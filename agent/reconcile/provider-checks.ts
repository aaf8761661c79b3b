import type { KubeObject } from '../core/kube-object.js';
import type { Logger } from '../core/log.js';
import { formatRef, refKey } from '../core/object-ref.js';
import { toRef } from '../core/kube-object.js';
import { fetchProviderReport, type ProviderReport } from '../providers/provider-report.js';
import { ProviderFindingCode, type MachineState } from '../providers/provider.js';
import { ProviderSet } from '../providers/provider-set.js';
import type { OpenProviders } from './open-providers.js';

export interface ProviderCheckInput {
  readonly environment: string;
  readonly desired: readonly KubeObject[];
  readonly live: readonly KubeObject[];
  readonly owned: ReadonlySet<string>;
  /** cluster key `namespace/name` → its objects (the fleet stage's attribution). */
  readonly clusters: ReadonlyMap<string, { readonly objects: readonly KubeObject[] }>;
  readonly capacityPolicy?: 'block' | 'warn' | undefined;
}

/**
 * Opens the environment's providers for this reconcile and asks them about the desired objects.
 * Without a factory (no providers block): no calls, no report. A factory that fails (token
 * unreadable) gives one `provider-unavailable` warning instead of failing the reconcile.
 */
export async function runProviderChecks(open: OpenProviders | undefined, input: ProviderCheckInput, log: Logger): Promise<{ providers: ProviderSet; report?: ProviderReport | undefined }> {
  if (!open) return { providers: new ProviderSet() };
  let providers: ProviderSet;
  try {
    providers = await open(input.environment);
  } catch (e) {
    log.warn({ error: (e as Error).message }, 'providers not opened, provider checks skipped');
    return { providers: new ProviderSet(), report: { findings: [{ severity: 'warn', code: ProviderFindingCode.ProviderUnavailable, message: `provider checks skipped: ${(e as Error).message}` }], costs: [] } };
  }
  const byKey = new Map<string, string>();
  for (const [cluster, members] of input.clusters) for (const o of members.objects) byKey.set(refKey(toRef(o)), cluster);
  const report = await fetchProviderReport(providers, {
    desired: input.desired,
    live: input.live,
    owned: input.owned,
    clusterOf: (key) => byKey.get(key),
    capacityPolicy: input.capacityPolicy,
  });
  log.debug({ findings: report.findings.length, costs: report.costs.length }, 'provider checks done');
  return { providers, report };
}

/**
 * Asks the providers for the state of each infrastructure machine they own (PacketMachine →
 * its Metal device), for health. A provider that cannot answer leaves those machines out
 * (health then reads the controller's copy in their status) and logs one warning.
 */
export async function fetchMachineStates(providers: ProviderSet | undefined, machines: readonly KubeObject[], log: Logger): Promise<Map<string, MachineState>> {
  const out = new Map<string, MachineState>();
  if (!providers || providers.empty) return out;
  const failed = new Set<string>();
  for (const m of machines) {
    const provider = providers.providerOf(m);
    if (!provider || !m.kind.endsWith('Machine') || failed.has(provider.name)) continue;
    try {
      const state = await provider.machineDetails(m);
      if (state) out.set(formatRef(toRef(m)), state);
    } catch (e) {
      failed.add(provider.name);
      log.warn({ provider: provider.name, machine: formatRef(toRef(m)), error: (e as Error).message }, 'machine states not read, health uses the machines status');
    }
  }
  return out;
}
