import { FleetError } from '../core/errors.js';
import type { EnvironmentConfig, FleetConfig } from './fleet-config.js';

/**
 * The promotion order: every environment comes after the ones its `after` names, and otherwise
 * keeps its declaration order (a stable topological sort). parseFleetConfig already rejects
 * cycles; a hand-built config with one throws a FleetError.
 */
export function orderEnvironments(config: Pick<FleetConfig, 'environments' | 'file'>): EnvironmentConfig[] {
  const byName = new Map(config.environments.map((e) => [e.name, e]));
  const cycle = findEnvironmentCycle([...byName.keys()], (n) => byName.get(n)?.after ?? []);
  if (cycle) throw new FleetError([{ code: 'Cycle', file: config.file, path: ['environments'], message: `promotion cycle: ${[...cycle].reverse().join(' → ')}` }]);
  const placed = new Set<string>();
  const order: EnvironmentConfig[] = [];
  while (order.length < config.environments.length) {
    // The first environment, in declaration order, whose predecessors are all placed.
    const next = config.environments.find((e) => !placed.has(e.name) && e.after.every((a) => placed.has(a) || !byName.has(a)));
    if (!next) break;
    placed.add(next.name);
    order.push(next);
  }
  return order;
}

/**
 * A cycle in the "comes after" graph, as names from the first repeated one back to itself
 * (`["a", "b", "a"]`), or undefined. `after(n)` lists the environments `n` waits for.
 */
export function findEnvironmentCycle(names: readonly string[], after: (name: string) => readonly string[]): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    const s = state.get(n);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const a of after(n)) {
      const found = visit(a);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of names) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}
