/**
 * A fast reader for the built-in field-spec table (default-field-specs.ts): the same data the
 * YAML reader would produce, without loading a YAML parser's worth of work at startup. The table
 * has a fixed shape (top-level keys holding lists of flat mappings; nameReference entries hold
 * one nested `fieldSpecs` list), and this reader accepts exactly that shape and throws on
 * anything else. field-spec-table.test.ts checks it against the YAML reader.
 */
type Entry = Record<string, string | boolean | Entry[]>;

function scalar(v: string): string | boolean {
  return v === 'true' ? true : v === 'false' ? false : v;
}

export function readFieldSpecTable(text: string): Record<string, Entry[]> {
  const out: Record<string, Entry[]> = {};
  let list: Entry[] | undefined;
  let item: Entry | undefined;
  let nested: Entry[] | undefined;
  let sub: Entry | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\w+):$/.exec(line))) {
      list = out[m[1]!] = [];
      item = nested = sub = undefined;
    } else if ((m = /^- (\w+): (\S+)$/.exec(line)) && list) {
      item = { [m[1]!]: scalar(m[2]!) };
      list.push(item);
      nested = sub = undefined;
    } else if ((m = /^ {2}(\w+): (\S+)$/.exec(line)) && item) {
      item[m[1]!] = scalar(m[2]!);
    } else if ((m = /^ {2}(\w+):$/.exec(line)) && item) {
      nested = [];
      item[m[1]!] = nested;
    } else if ((m = /^ {2}- (\w+): (\S+)$/.exec(line)) && nested) {
      sub = { [m[1]!]: scalar(m[2]!) };
      nested.push(sub);
    } else if ((m = /^ {4}(\w+): (\S+)$/.exec(line)) && sub) {
      sub[m[1]!] = scalar(m[2]!);
    } else {
      throw new Error(`built-in field specs, line ${i + 1}: unexpected ${JSON.stringify(line)}`);
    }
  }
  return out;
}
