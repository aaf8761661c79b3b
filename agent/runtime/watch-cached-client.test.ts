import { describe, expect, it } from 'vitest';
import { equalitySelector } from './watch-cached-client.js';

describe('equalitySelector', () => {
  it('reads equality selectors, the ones answered from a watch', () => {
    expect(equalitySelector('app.kubernetes.io/managed-by=drover')).toEqual([['app.kubernetes.io/managed-by', 'drover']]);
    expect(equalitySelector('a==b, c=d')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('leaves every other selector to the server', () => {
    for (const s of ['a!=b', 'a in (b,c)', '!a', 'a', 'a notin (b)', '']) expect(equalitySelector(s)).toBeUndefined();
  });
});
