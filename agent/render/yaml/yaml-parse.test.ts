import { describe, expect, it } from 'vitest';
import { toJsonValue } from './json-form.js';
import { parseYamlDocuments, splitDocuments, YamlSyntaxError } from './yaml-parse.js';

const one = (text: string, mode: 'v3' | 'v2' = 'v3') => toJsonValue(parseYamlDocuments(text, { mode })[0]!.value);

describe('parseYamlDocuments reads scalars like go-yaml', () => {
  // What kustomize's JSON of a resource holds for each plain scalar (go-yaml v3 in resources).
  it.each([
    ['on', 'on'],
    ['yes', 'yes'],
    ['y', 'y'],
    ['true', true],
    ['False', false],
    ['~', null],
    ['', null],
    ['Null', null],
    ['42', 42],
    ['0x1F', 31],
    ['0o17', 15],
    ['0755', 493],
    ['08', 8],
    ['1_000', 1000],
    ['+5', 5],
    ['1.50', 1.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1e400', '1e400'],
    ['9007199254740993', 9007199254740993n],
    ['2024-01-01', '2024-01-01T00:00:00Z'],
    ['2001-12-14 21:59:43.10', '2001-12-14T21:59:43.1Z'],
    ['2024-13-01', '2024-13-01'],
    ['v1.33.2', 'v1.33.2'],
    ['"1"', '1'],
    ["'true'", 'true'],
    ['!!str 5', '5'],
    ['!!float 1', 1],
  ])('v3 %s → %o', (text, value) => {
    expect(one(`v: ${text}\n`)).toEqual({ v: value });
  });

  // Kustomization files are read with go-yaml v2 (YAML 1.1): more booleans, timestamps stay text.
  it.each([
    ['y', true],
    ['yes', true],
    ['on', true],
    ['Off', false],
    ['2024-01-01', '2024-01-01'],
    ['1', 1],
  ])('v2 %s → %o', (text, value) => {
    expect(one(`v: ${text}\n`, 'v2')).toEqual({ v: value });
  });

  it('expands anchors, aliases and << merge keys (own keys win, earlier merges win)', () => {
    const doc = 'a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 0\nd: *a\n';
    expect(one(doc)).toEqual({ a: { x: 1, y: 2 }, b: { y: 3, z: 4 }, c: { x: 0, y: 2, z: 4 }, d: { x: 1, y: 2 } });
  });

  it.each([
    ['a: |\n  text', 'text'],
    ['a: |+\n  text', 'text'],
    ['a: >\n  text', 'text'],
    ['a: |\n  text\n', 'text\n'],
    ['a: |\n  text\n  ', 'text\n'],
  ])('keeps a block scalar without a final line break at the end of the input (%j), like libyaml', (text, value) => {
    expect(one(text)).toEqual({ a: value });
  });

  // kustomize writes resources back out with go-yaml v3 and reads them again before printing;
  // go-yaml's folded-scalar writer adds line breaks around more-indented lines. Values from kubectl.
  it.each([
    ['k: >-\n  a\n    c\n', 'a\n\n  c'],
    ['k: >\n  a\n\n\n    c\n  d\n', 'a\n\n\n\n  c\nd\n'],
    ['k: >+\n  a\n\n', 'a\n\n\n'],
    ['k: >\n  a\n  b\n', 'a b\n'],
    ['k: >\n  tab\there\n\n    more\n', 'tab\there\n\n\n  more\n'],
    ['k: >\n  trailing \n    more\n', 'trailing \n  more\n'],
  ])('reads folded scalars as kustomize prints them (%j)', (text, value) => {
    expect(one(text)).toEqual({ k: value });
  });

  // go-yaml accepts quoted scalars whose continuation lines are not indented past their key.
  it.each([
    ["m:\n  k: 'first\n  second'\n", 'first second'],
    ['m:\n  k: "a\n  b \\\n  c"\n', 'a b c'],
    ["m:\n  k: 'x\n\n  y'\n", 'x\ny'],
  ])('accepts a quoted scalar continued at its key indentation (%j)', (text, value) => {
    expect(one(text)).toEqual({ m: { k: value } });
  });

  it('gives every alias its own copy', () => {
    const v = parseYamlDocuments('a: &a {x: 1}\nb: *a\n')[0]!.value as Map<string, Map<string, unknown>>;
    expect(v.get('a')).not.toBe(v.get('b'));
  });

  it('splits documents on --- lines as kyaml does, skipping empty ones', () => {
    expect(splitDocuments('a: 1\n---\nb: 2\n--- # comment\nc: 3\n').map((d) => d.text)).toEqual(['a: 1', 'b: 2', 'c: 3\n']);
    expect(parseYamlDocuments('---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n').map((d) => toJsonValue(d.value))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each([
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n', 3, 1, 'mapping key "a" already defined'],
    ['text after a separator', 'a: 1\n--- b\nc: 2\n', 2, 1, 'invalid document separator'],
    ['an unclosed flow map', 'a: 1\nb: {c: 1\n', 3, 1, 'Flow map'],
    ['an unknown anchor', 'a: *nope\n', 1, 4, 'nope'],
    ['an explicit tag that does not fit', 'a: !!int abc\n', 1, 10, 'cannot decode'],
  ])('reports %s with its line and column', (_name, text, line, col, message) => {
    let error: unknown;
    try {
      parseYamlDocuments(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YamlSyntaxError);
    expect(error).toMatchObject({ line, col });
    expect((error as Error).message).toContain(message);
  });

  it('bounds alias expansion with the yaml package maxAliasCount', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    expect(() => parseYamlDocuments(bomb)).toThrow(/Excessive alias count/);
    expect(() => parseYamlDocuments(bomb, { limits: { maxAliasCount: -1, maxDocumentBytes: 1e9 } })).not.toThrow();
  });

  it('rejects documents larger than the limit, counting UTF-8 bytes', () => {
    expect(() => parseYamlDocuments(`a: ${'é'.repeat(600)}\n`, { limits: { maxAliasCount: 100, maxDocumentBytes: 1000 } })).toThrow('document is 1.2 KiB, over the 1000 bytes limit');
  });
});
