/**
 * Kubernetes label selector strings (`app=web,tier!=db,env in (a,b),!legacy`), as kustomize's
 * patch and replacement targets use them for labelSelector and annotationSelector.
 */
export class SelectorSyntaxError extends Error {}

type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

interface Requirement {
  readonly key: string;
  readonly op: Op;
  readonly values: readonly string[];
}

export type LabelSelector = (labels: ReadonlyMap<string, string>) => boolean;

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push(c);
      i++;
      continue;
    }
    if (c === '!' && s[i + 1] === '=') {
      out.push('!=');
      i += 2;
      continue;
    }
    if (c === '=' && s[i + 1] === '=') {
      out.push('==');
      i += 2;
      continue;
    }
    if (c === '=' || c === '!' || c === '<' || c === '>') {
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s(),=!<>]/.test(s[j]!)) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string): void {
  if (!KEY.test(k) || k.length > 316) throw new SelectorSyntaxError(`invalid label key "${k}"`);
}
function checkValue(v: string): void {
  if (!VALUE.test(v) || v.length > 63) throw new SelectorSyntaxError(`invalid label value "${v}"`);
}

export function parseLabelSelector(text: string): LabelSelector {
  const toks = tokenize(text);
  const reqs: Requirement[] = [];
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const next = (): string => {
    const t = toks[i++];
    if (t === undefined) throw new SelectorSyntaxError(`unable to parse requirement: unexpected end of "${text}"`);
    return t;
  };
  while (i < toks.length) {
    let t = next();
    if (t === '!') {
      const key = next();
      checkKey(key);
      reqs.push({ key, op: '!', values: [] });
    } else {
      const key = t;
      checkKey(key);
      const op = peek();
      if (op === undefined || op === ',') reqs.push({ key, op: 'exists', values: [] });
      else {
        i++;
        if (op === '=' || op === '==' || op === '!=') {
          let v = peek();
          if (v === undefined || v === ',') v = '';
          else i++;
          checkValue(v);
          reqs.push({ key, op: op === '!=' ? '!=' : '=', values: [v] });
        } else if (op === 'in' || op === 'notin') {
          if (next() !== '(') throw new SelectorSyntaxError(`unable to parse requirement: expected "(" after ${op}`);
          const values: string[] = [];
          for (;;) {
            t = next();
            if (t === ')') break;
            if (t === ',') continue;
            checkValue(t);
            values.push(t);
          }
          reqs.push({ key, op, values });
        } else if (op === '>' || op === '<') {
          const v = next();
          if (!/^-?\d+$/.test(v)) throw new SelectorSyntaxError(`unable to parse requirement: for '${op}' operator, the value must be an integer`);
          reqs.push({ key, op: op === '>' ? 'gt' : 'lt', values: [v] });
        } else throw new SelectorSyntaxError(`unable to parse requirement: found '${op}', expected an operator`);
      }
    }
    const sep = peek();
    if (sep === undefined) break;
    if (sep !== ',') throw new SelectorSyntaxError(`unable to parse requirement: found '${sep}', expected ','`);
    i++;
  }
  return (labels) =>
    reqs.every((r) => {
      const v = labels.get(r.key);
      switch (r.op) {
        case '=':
        case 'in':
          return v !== undefined && r.values.includes(v);
        case '!=':
        case 'notin':
          return v === undefined || !r.values.includes(v);
        case 'exists':
          return v !== undefined;
        case '!':
          return v === undefined;
        case 'gt':
        case 'lt': {
          if (v === undefined || !/^-?\d+$/.test(v)) return false;
          return r.op === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
        }
      }
    });
}
