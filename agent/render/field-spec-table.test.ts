import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SPECS_YAML } from './default-field-specs.js';
import { readFieldSpecTable } from './field-spec-table.js';
import { defaultConfig, parseTransformerConfig } from './field-specs.js';

describe('readFieldSpecTable (the fast reader of the built-in table)', () => {
  it('reads the built-in table exactly as the YAML reader does', () => {
    const viaYaml = parseTransformerConfig(DEFAULT_FIELD_SPECS_YAML, '<builtin>');
    expect('issues' in viaYaml).toBe(false);
    const { templateLabels, ...rest } = defaultConfig();
    const { templateLabels: _unused, ...expected } = viaYaml as typeof rest & { templateLabels: unknown };
    expect(rest).toEqual(expected);
    expect(templateLabels.length).toBeGreaterThan(0);
  });

  it.each([
    ['a flow sequence', 'images:\n- path: [a]\n  x: {y}\nfoo: [1]\n'],
    ['a quoted value', 'images:\n- path: "a b"\n'],
    ['an item before any key', '- path: a\n'],
  ])('refuses what is not the table shape: %s', (_name, text) => {
    expect(() => readFieldSpecTable(text)).toThrow(/built-in field specs, line \d+/);
  });
});
