import { describe, expect, it } from 'vitest';
import { parseCheckedHeadsData, toCheckedHeadsData } from './pr-checked-heads.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('checked heads in a ConfigMap', () => {
  it('round-trips, sorted by pull request number', () => {
    const data = toCheckedHeadsData(new Map([[12, B], [3, A]]));
    expect(data).toEqual({ 'pr-3': A, 'pr-12': B });
    expect(Object.keys(data)).toEqual(['pr-3', 'pr-12']);
    expect(parseCheckedHeadsData(data)).toEqual(new Map([[3, A], [12, B]]));
  });

  it('ignores keys and values it did not write', () => {
    expect(parseCheckedHeadsData({ 'pr-0': A, 'pr-x': A, other: A, 'pr-4': 'abc', 'pr-5': A })).toEqual(new Map([[5, A]]));
    expect(parseCheckedHeadsData(undefined)).toEqual(new Map());
  });
});
