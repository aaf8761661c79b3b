import type { CostDelta } from './plan.js';

/**
 * `+$3.20/h: 2 × c3.small.x86 in am`: the hourly cost change and the machines behind it. Removed
 * machines carry a minus sign (and added ones a plus when both occur); items the provider has
 * no price for are named at the end.
 */
export function formatCost(cost: CostDelta): string {
  const mixed = cost.items.some((i) => i.count > 0) && cost.items.some((i) => i.count < 0);
  const items = cost.items.map((i) => `${i.count < 0 ? '−' : mixed ? '+' : ''}${Math.abs(i.count)} × ${i.type} in ${i.location}`);
  const unpriced = cost.items.filter((i) => i.perHour === undefined).map((i) => i.type);
  const tail = unpriced.length ? ` (no price for ${[...new Set(unpriced)].join(', ')})` : '';
  return `${formatMoney(cost.perHour, cost.currency)}/h: ${items.join(', ')}${tail}`;
}

/** `+$3.20`, `−$1.05`, `±$0.00`; other currencies as `+3.20 EUR`. */
export function formatMoney(amount: number, currency: string): string {
  const sign = amount > 0.004 ? '+' : amount < -0.004 ? '−' : '±';
  const abs = Math.abs(amount).toFixed(2);
  return currency === 'USD' ? `${sign}$${abs}` : `${sign}${abs} ${currency}`;
}
