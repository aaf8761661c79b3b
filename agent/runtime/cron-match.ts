import { parse, validate } from 'node-cron';

/** A cron expression (node-cron syntax, 5 or 6 fields) compiled to a matcher of instants. */
export type CronMatcher = (at: Date) => boolean;

type Fields = ReturnType<typeof parse>;

/**
 * Compiles `expression` in `timeZone` (IANA name, default UTC). node-cron parses the fields;
 * matching follows cron: when both day-of-month and day-of-week are restricted, either one
 * matching is enough. `L` in day-of-month is the month's last day. Throws on an invalid
 * expression or time zone.
 */
export function compileCron(expression: string, timeZone = 'UTC'): CronMatcher {
  if (!validate(expression)) throw new Error(`invalid cron expression ${JSON.stringify(expression)}`);
  const f: Fields = parse(expression);
  const sets = {
    second: new Set(f.second),
    minute: new Set(f.minute),
    hour: new Set(f.hour),
    month: new Set(f.month),
    dom: new Set(f.dayOfMonth),
    dow: new Set(f.dayOfWeek.map((d) => (d === 7 ? 0 : d))),
  };
  const domAll = f.dayOfMonth.length >= 31;
  const dowAll = sets.dow.size >= 7;
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
  const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  return (at) => {
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(at)) p[part.type] = part.value;
    const year = Number(p.year);
    const month = Number(p.month);
    const day = Number(p.day);
    if (!sets.second.has(Number(p.second)) || !sets.minute.has(Number(p.minute)) || !sets.hour.has(Number(p.hour)) || !sets.month.has(month)) return false;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const domOk = sets.dom.has(day) || (sets.dom.has('L') && day === lastDay);
    const dowOk = sets.dow.has(weekdays[p.weekday!] ?? -1);
    if (domAll && dowAll) return true;
    if (domAll) return dowOk;
    if (dowAll) return domOk;
    return domOk || dowOk;
  };
}
