/**
 * The order go-yaml v2 writes map keys in (its keyList sort): runs of digits compare as numbers,
 * letters sort after other characters.
 */
import { codePoints } from './scalar-style.js';

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** Compares two keys as go-yaml v2 orders them. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const ascii = isAscii(a) && isAscii(b);
  return (ascii ? asciiKeyLess(a, b) : keyLess(a, b)) ? -1 : 1;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** keyLess for ASCII keys, without allocating (the common case). */
function asciiKeyLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const al = isAsciiLetter(ca);
    const bl = isAsciiLetter(cb);
    if (al && bl) return ca < cb;
    if (al || bl) return bl;
    if (!isAsciiDigit(ca) && !isAsciiDigit(cb)) return ca < cb;
    return keyLess(a, b);
  }
  return a.length < b.length;
}

function keyLess(a: string, b: string): boolean {
  const ar = codePoints(a);
  const br = codePoints(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ca = ar[i]!;
    const cb = br[i]!;
    if (ca === cb) continue;
    const sa = String.fromCodePoint(ca);
    const sb = String.fromCodePoint(cb);
    const al = LETTER.test(sa);
    const bl = LETTER.test(sb);
    if (al && bl) return ca < cb;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ca === 0x30 || cb === 0x30) {
      for (let j = i - 1; j >= 0 && DIGIT.test(String.fromCodePoint(ar[j]!)); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(String.fromCodePoint(ar[ai]!)); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]! - 0x30));
    let bi = i;
    for (; bi < br.length && DIGIT.test(String.fromCodePoint(br[bi]!)); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]! - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ca < cb;
  }
  return ar.length < br.length;
}
