import { describe, expect, it } from 'vitest';
import { expandVars, type VarValue } from './var-expansion.js';
import { YScalar } from '../yaml/yaml-value.js';

const values = new Map<string, VarValue>([
  ['NAME', { t: 'string', v: 'capi-webhook' }],
  ['PORT', { t: 'int', v: 9443 }],
  ['TLS', { t: 'bool', v: true }],
  ['RATIO', { t: 'float', v: 0.75 }],
  ['BIG', { t: 'float', v: 1234567 }],
]);

describe('expandVars ($(VAR) references as kustomize expands them)', () => {
  it.each([
    ['a reference inside a string', '$(NAME).system.svc', 'capi-webhook.system.svc'],
    ['several references', '$(NAME):$(PORT)', 'capi-webhook:9443'],
    ['an escaped operator', '$$(NAME)', '$(NAME)'],
    ['an unknown name, left as written', '--x=$(UNKNOWN)', '--x=$(UNKNOWN)'],
    ['an unterminated reference', 'cost $( and $', 'cost $( and $'],
    ['a lone operator before another character', 'a$b', 'a$b'],
    ['a float inside a string, printed like Go %v', 'ratio=$(RATIO) big=$(BIG)', 'ratio=0.75 big=1.234567e+06'],
    ['a boolean inside a string', '--tls=$(TLS)', '--tls=true'],
    ['text without references', 'plain', 'plain'],
  ])('expands %s', (_name, input, expected) => {
    expect(expandVars(input, values, new Set())).toBe(expected);
  });

  it.each([
    ['an int', '$(PORT)', new YScalar('int', '9443')],
    ['a bool', '$(TLS)', new YScalar('bool', 'true')],
    ['a float, in fixed notation', '$(BIG)', new YScalar('float', '1234567')],
  ])('keeps the type of %s when the whole string is one reference', (_name, input, expected) => {
    expect(expandVars(input, values, new Set())).toEqual(expected);
  });

  it('records which vars were used', () => {
    const used = new Set<string>();
    expandVars('$(NAME) $(UNKNOWN) $$(PORT)', values, used);
    expect([...used]).toEqual(['NAME']);
  });
});
