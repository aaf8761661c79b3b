import { groupOf } from '../core/object-ref.js';
import { infraKey, type InfrastructureProvider } from './provider.js';

/**
 * The providers configured for one environment, found by infrastructure API group and kind.
 * A provider caches its API answers for its lifetime, so the orchestrator opens a new set for
 * each reconcile (cached per reconcile, fresh on the next). An empty set makes no calls.
 */
export class ProviderSet {
  private readonly byKind = new Map<string, InfrastructureProvider>();

  constructor(readonly providers: readonly InfrastructureProvider[] = []) {
    for (const p of providers) {
      for (const k of p.kinds) {
        const key = infraKey(k.group, k.kind);
        const other = this.byKind.get(key);
        if (other) throw new Error(`providers ${other.name} and ${p.name} both claim ${key}`);
        this.byKind.set(key, p);
      }
    }
  }

  get empty(): boolean {
    return this.providers.length === 0;
  }

  providerFor(group: string, kind: string): InfrastructureProvider | undefined {
    return this.byKind.get(infraKey(group, kind));
  }

  providerOf(obj: { apiVersion: string; kind: string }): InfrastructureProvider | undefined {
    return this.providerFor(groupOf(obj.apiVersion), obj.kind);
  }
}
