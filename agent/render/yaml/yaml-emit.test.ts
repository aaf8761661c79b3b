// How kustomize prints values: every expectation below is kubectl kustomize's output (kustomize
// v5.5.0) for the same value, pasted. formatYamlDocument must reproduce it byte for byte.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './json-form.js';
import { compareKeys, formatYamlDocument } from './yaml-emit.js';

const cm = (name: string, data: Record<string, JsonValue>): JsonValue => ({ apiVersion: 'v1', data, kind: 'ConfigMap', metadata: { name } });
const spec = (name: string, v: JsonValue): JsonValue => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, spec: { v } });

const strings: [string, string, string][] = [
  ["a plain word", "hello", "apiVersion: v1\ndata:\n  v: hello\nkind: ConfigMap\nmetadata:\n  name: s0\n"],
  ["YAML 1.1 booleans are quoted", "on", "apiVersion: v1\ndata:\n  v: \"on\"\nkind: ConfigMap\nmetadata:\n  name: s1\n"],
  ["\"yes\"", "yes", "apiVersion: v1\ndata:\n  v: \"yes\"\nkind: ConfigMap\nmetadata:\n  name: s2\n"],
  ["\"y\"", "y", "apiVersion: v1\ndata:\n  v: \"y\"\nkind: ConfigMap\nmetadata:\n  name: s3\n"],
  ["\"n\"", "N", "apiVersion: v1\ndata:\n  v: \"N\"\nkind: ConfigMap\nmetadata:\n  name: s4\n"],
  ["\"off\"", "Off", "apiVersion: v1\ndata:\n  v: \"Off\"\nkind: ConfigMap\nmetadata:\n  name: s5\n"],
  ["\"true\"", "true", "apiVersion: v1\ndata:\n  v: \"true\"\nkind: ConfigMap\nmetadata:\n  name: s6\n"],
  ["numbers are quoted", "1", "apiVersion: v1\ndata:\n  v: \"1\"\nkind: ConfigMap\nmetadata:\n  name: s7\n"],
  ["floats", "1.5", "apiVersion: v1\ndata:\n  v: \"1.5\"\nkind: ConfigMap\nmetadata:\n  name: s8\n"],
  ["exponents", "1e3", "apiVersion: v1\ndata:\n  v: \"1e3\"\nkind: ConfigMap\nmetadata:\n  name: s9\n"],
  ["hex", "0x1F", "apiVersion: v1\ndata:\n  v: \"0x1F\"\nkind: ConfigMap\nmetadata:\n  name: s10\n"],
  ["octal-looking", "0755", "apiVersion: v1\ndata:\n  v: \"0755\"\nkind: ConfigMap\nmetadata:\n  name: s11\n"],
  ["sexagesimal", "1:20", "apiVersion: v1\ndata:\n  v: \"1:20\"\nkind: ConfigMap\nmetadata:\n  name: s12\n"],
  ["null words", "null", "apiVersion: v1\ndata:\n  v: \"null\"\nkind: ConfigMap\nmetadata:\n  name: s13\n"],
  ["tilde", "~", "apiVersion: v1\ndata:\n  v: \"~\"\nkind: ConfigMap\nmetadata:\n  name: s14\n"],
  ["the empty string", "", "apiVersion: v1\ndata:\n  v: \"\"\nkind: ConfigMap\nmetadata:\n  name: s15\n"],
  ["timestamps", "2024-01-01", "apiVersion: v1\ndata:\n  v: \"2024-01-01\"\nkind: ConfigMap\nmetadata:\n  name: s16\n"],
  ["full timestamps", "2024-01-01T10:00:00Z", "apiVersion: v1\ndata:\n  v: \"2024-01-01T10:00:00Z\"\nkind: ConfigMap\nmetadata:\n  name: s17\n"],
  ["a colon and space", "a: b", "apiVersion: v1\ndata:\n  v: 'a: b'\nkind: ConfigMap\nmetadata:\n  name: s18\n"],
  ["a trailing colon", "key:", "apiVersion: v1\ndata:\n  v: 'key:'\nkind: ConfigMap\nmetadata:\n  name: s19\n"],
  ["a hash after a space", "a #b", "apiVersion: v1\ndata:\n  v: 'a #b'\nkind: ConfigMap\nmetadata:\n  name: s20\n"],
  ["a hash inside a word", "a#b", "apiVersion: v1\ndata:\n  v: a#b\nkind: ConfigMap\nmetadata:\n  name: s21\n"],
  ["leading space", " x", "apiVersion: v1\ndata:\n  v: ' x'\nkind: ConfigMap\nmetadata:\n  name: s22\n"],
  ["trailing space", "x ", "apiVersion: v1\ndata:\n  v: 'x '\nkind: ConfigMap\nmetadata:\n  name: s23\n"],
  ["leading dash and space", "- a", "apiVersion: v1\ndata:\n  v: '- a'\nkind: ConfigMap\nmetadata:\n  name: s24\n"],
  ["leading dash", "-a", "apiVersion: v1\ndata:\n  v: -a\nkind: ConfigMap\nmetadata:\n  name: s25\n"],
  ["indicator characters first", "*x", "apiVersion: v1\ndata:\n  v: '*x'\nkind: ConfigMap\nmetadata:\n  name: s26\n"],
  ["bang", "!tag", "apiVersion: v1\ndata:\n  v: '!tag'\nkind: ConfigMap\nmetadata:\n  name: s27\n"],
  ["percent", "%x", "apiVersion: v1\ndata:\n  v: '%x'\nkind: ConfigMap\nmetadata:\n  name: s28\n"],
  ["at", "@x", "apiVersion: v1\ndata:\n  v: '@x'\nkind: ConfigMap\nmetadata:\n  name: s29\n"],
  ["backtick", "`x", "apiVersion: v1\ndata:\n  v: '`x'\nkind: ConfigMap\nmetadata:\n  name: s30\n"],
  ["pipe", "|x", "apiVersion: v1\ndata:\n  v: '|x'\nkind: ConfigMap\nmetadata:\n  name: s31\n"],
  ["question mark", "?", "apiVersion: v1\ndata:\n  v: '?'\nkind: ConfigMap\nmetadata:\n  name: s32\n"],
  ["brackets", "[a]", "apiVersion: v1\ndata:\n  v: '[a]'\nkind: ConfigMap\nmetadata:\n  name: s33\n"],
  ["braces", "{a}", "apiVersion: v1\ndata:\n  v: '{a}'\nkind: ConfigMap\nmetadata:\n  name: s34\n"],
  ["comma inside", "a,b", "apiVersion: v1\ndata:\n  v: a,b\nkind: ConfigMap\nmetadata:\n  name: s35\n"],
  ["single quote inside", "it's", "apiVersion: v1\ndata:\n  v: it's\nkind: ConfigMap\nmetadata:\n  name: s36\n"],
  ["double quote inside", "say \"hi\"", "apiVersion: v1\ndata:\n  v: say \"hi\"\nkind: ConfigMap\nmetadata:\n  name: s37\n"],
  ["backslash", "a\\b", "apiVersion: v1\ndata:\n  v: a\\b\nkind: ConfigMap\nmetadata:\n  name: s38\n"],
  ["a tab", "a\tb", "apiVersion: v1\ndata:\n  v: \"a\\tb\"\nkind: ConfigMap\nmetadata:\n  name: s39\n"],
  ["a carriage return", "a\rb", "apiVersion: v1\ndata:\n  v: \"a\\rb\"\nkind: ConfigMap\nmetadata:\n  name: s40\n"],
  ["an escape character", "a\u001bb", "apiVersion: v1\ndata:\n  v: \"a\\eb\"\nkind: ConfigMap\nmetadata:\n  name: s41\n"],
  ["a BOM first", "﻿ab", "apiVersion: v1\ndata:\n  v: \"\\uFEFF\\x61\\x62\"\nkind: ConfigMap\nmetadata:\n  name: s42\n"],
  ["non-ASCII letters", "grüße", "apiVersion: v1\ndata:\n  v: grüße\nkind: ConfigMap\nmetadata:\n  name: s43\n"],
  ["CJK", "日本", "apiVersion: v1\ndata:\n  v: 日本\nkind: ConfigMap\nmetadata:\n  name: s44\n"],
  ["emoji", "😀", "apiVersion: v1\ndata:\n  v: \"\\U0001F600\"\nkind: ConfigMap\nmetadata:\n  name: s45\n"],
  ["a no-break space", "a b", "apiVersion: v1\ndata:\n  v: a b\nkind: ConfigMap\nmetadata:\n  name: s46\n"],
  ["a multi-line string", "l1\nl2\n", "apiVersion: v1\ndata:\n  v: |\n    l1\n    l2\nkind: ConfigMap\nmetadata:\n  name: s47\n"],
  ["no final newline", "l1\nl2", "apiVersion: v1\ndata:\n  v: |-\n    l1\n    l2\nkind: ConfigMap\nmetadata:\n  name: s48\n"],
  ["extra final newlines", "l1\n\n", "apiVersion: v1\ndata:\n  v: |+\n    l1\n\nkind: ConfigMap\nmetadata:\n  name: s49\n"],
  ["a leading newline", "\nl1", "apiVersion: v1\ndata:\n  v: |2-\n\n    l1\nkind: ConfigMap\nmetadata:\n  name: s50\n"],
  ["leading spaces in a block", "  indented\nnext\n", "apiVersion: v1\ndata:\n  v: |2\n      indented\n    next\nkind: ConfigMap\nmetadata:\n  name: s51\n"],
  ["space before a newline", "a \nb", "apiVersion: v1\ndata:\n  v: \"a \\nb\"\nkind: ConfigMap\nmetadata:\n  name: s52\n"],
  ["a newline alone", "\n", "apiVersion: v1\ndata:\n  v: |2+\n\nkind: ConfigMap\nmetadata:\n  name: s53\n"],
  ["a long plain string folded at 80 columns", "word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word", "apiVersion: v1\ndata:\n  v: word word word word word word word word word word word word word word word word\n    word word word word word word word word word word word word word word\nkind: ConfigMap\nmetadata:\n  name: s54\n"],
  ["a long string without spaces", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "apiVersion: v1\ndata:\n  v: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nkind: ConfigMap\nmetadata:\n  name: s55\n"],
  ["a long quoted string", "\"word word word word word word word word word word word word word word word word word word word word word word word word word\"", "apiVersion: v1\ndata:\n  v: '\"word word word word word word word word word word word word word word word\n    word word word word word word word word word word\"'\nkind: ConfigMap\nmetadata:\n  name: s56\n"],
  ["a long single-quoted string", "'word word word word word word word word word word word word word word word word word word word word word word word word word #x", "apiVersion: v1\ndata:\n  v: '''word word word word word word word word word word word word word word word\n    word word word word word word word word word word #x'\nkind: ConfigMap\nmetadata:\n  name: s57\n"],
  ["document markers", "---", "apiVersion: v1\ndata:\n  v: '---'\nkind: ConfigMap\nmetadata:\n  name: s58\n"],
  ["dots", "...", "apiVersion: v1\ndata:\n  v: '...'\nkind: ConfigMap\nmetadata:\n  name: s59\n"],
];

const numbers: [string, JsonValue, string][] = [
  ["an int (42)", 42, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n0\nspec:\n  v: 42\n"],
  ["a negative int (-7)", -7, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n1\nspec:\n  v: -7\n"],
  ["hex in YAML (0x1F)", 31, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n2\nspec:\n  v: 31\n"],
  ["octal in YAML (0o17)", 15, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n3\nspec:\n  v: 15\n"],
  ["a float (1.50)", 1.5, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n4\nspec:\n  v: 1.5\n"],
  ["a float that is integral (1.0)", 1, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n5\nspec:\n  v: 1\n"],
  ["an exponent (1e6)", 1000000, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n6\nspec:\n  v: 1000000\n"],
  ["a small float (0.000001)", 0.000001, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n7\nspec:\n  v: 1e-06\n"],
  ["a tiny float (1e-7)", 1e-7, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n8\nspec:\n  v: 1e-07\n"],
  ["a large float (1e21)", 1e+21, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n9\nspec:\n  v: 1e+21\n"],
  ["a fraction over a million (1000000.5)", 1000000.5, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n10\nspec:\n  v: 1.0000005e+06\n"],
  ["an int beyond 2^53 (9007199254740993)", 9007199254740993n, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n11\nspec:\n  v: 9007199254740993\n"],
  ["an int beyond int64 (12345678901234567890)", 12345678901234567890n, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n12\nspec:\n  v: 12345678901234567890\n"],
  ["beyond uint64 (123456789012345678901)", 123456789012345680000, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n13\nspec:\n  v: 1.2345678901234568e+20\n"],
  ["true (true)", true, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n14\nspec:\n  v: true\n"],
  ["null (null)", null, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n15\nspec:\n  v: null\n"],
  ["an empty value ()", null, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n16\nspec:\n  v: null\n"],
  ["a date (2024-02-29)", "2024-02-29T00:00:00Z", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n17\nspec:\n  v: \"2024-02-29T00:00:00Z\"\n"],
  ["a timestamp with offset (2001-12-14t21:59:43.10-05:00)", "2001-12-14T21:59:43.1-05:00", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n18\nspec:\n  v: \"2001-12-14T21:59:43.1-05:00\"\n"],
];

describe('formatYamlDocument prints like kustomize', () => {
  it.each(strings)('string: %s', (_name, value, expected) => {
    expect(formatYamlDocument(cm(`s${strings.findIndex((s) => s[1] === value)}`, { v: value }))).toBe(expected);
  });

  it.each(numbers)('scalar: %s', (name, value, expected) => {
    expect(formatYamlDocument(spec(`n${numbers.findIndex((n) => n[0] === name)}`, value))).toBe(expected);
  });

  it('sorts keys the way go-yaml does (digit runs compared as numbers, letters after other characters)', () => {
    const keys = ["b","a","B","a10","a9","a-b","a.b","a_b","a1","a01","Z","1","10","9","on","é","_x","x/y","app.kubernetes.io/name","app"];
    expect(formatYamlDocument(cm('keys', Object.fromEntries(keys.map((k) => [k, 'x']))))).toBe("apiVersion: v1\ndata:\n  _x: x\n  \"1\": x\n  \"9\": x\n  \"10\": x\n  B: x\n  Z: x\n  a: x\n  a-b: x\n  a.b: x\n  a_b: x\n  a1: x\n  a01: x\n  a9: x\n  a10: x\n  app: x\n  app.kubernetes.io/name: x\n  b: x\n  \"on\": x\n  x/y: x\n  é: x\nkind: ConfigMap\nmetadata:\n  name: keys\n");
    expect([...keys].sort(compareKeys).slice(0, 3)).toEqual(['_x', '1', '9']);
  });

  it('nests sequences and mappings, empty ones in flow style', () => {
    const value: JsonValue = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nesting' }, spec: { list: ['a', ['nested', 'list'], { key: 'v', other: 'w' }, [], {}], map: { inner: { deep: 1 }, empty: {}, emptyList: [] }, block: ['text\n'] } };
    expect(formatYamlDocument(value)).toBe("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nesting\nspec:\n  block:\n  - |\n    text\n  list:\n  - a\n  - - nested\n    - list\n  - key: v\n    other: w\n  - []\n  - {}\n  map:\n    empty: {}\n    emptyList: []\n    inner:\n      deep: 1\n");
  });
});
