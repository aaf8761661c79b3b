/**
 * CAPI conditions as plain data. v1beta2 conditions are metav1.Conditions (`status`
 * True/False/Unknown, `reason`, `message`); v1beta1 conditions also carry a `severity`
 * (Error, Warning, Info) that matters when `status` is False.
 */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown' | string;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
  readonly severity?: string | undefined;
  readonly lastTransitionTime?: string | undefined;
  readonly observedGeneration?: number | undefined;
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function isFalse(conditions: readonly Condition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'False';
}

/** Reads a conditions array from untyped status data, dropping malformed entries. */
export function toConditions(value: unknown): Condition[] {
  if (!Array.isArray(value)) return [];
  const out: Condition[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const c = item as Record<string, unknown>;
    if (typeof c.type !== 'string' || typeof c.status !== 'string') continue;
    out.push({
      type: c.type,
      status: c.status,
      reason: str(c.reason),
      message: str(c.message),
      severity: str(c.severity),
      lastTransitionTime: str(c.lastTransitionTime),
      observedGeneration: typeof c.observedGeneration === 'number' ? c.observedGeneration : undefined,
    });
  }
  return out;
}

/**
 * The first meaningful line of a CAPI condition message. CAPI aggregates messages as bullet
 * lists (`* MachineDeployment md-0: Scaling up from 1 to 5 replicas`); keep the first bullet.
 */
export function firstLine(message: string | undefined): string | undefined {
  if (!message) return undefined;
  for (const raw of message.split('\n')) {
    const line = raw.replace(/^\s*\*\s*/, '').trim();
    if (line) return line;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
