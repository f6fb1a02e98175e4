import { randomBytes } from 'node:crypto';
import { Document, visit, type DocumentOptions, type ParseOptions, type SchemaOptions, type Tags } from 'yaml';

/** PyYAML's default `best_width`: a long plain or single-quoted scalar is broken at a single space past it. */
const BEST_WIDTH = 80;

/**
 * Serialises nested mappings the way Python's `yaml.safe_dump(data, default_flow_style=False)` does
 * (what MLflow's `Model.to_yaml` calls): keys sorted at every level, block style, sequences not indented
 * under their key, `null` for None, YAML 1.1 quoting in single quotes (`'2026-01-01 10:00:00'`, `'yes'`,
 * `'123'`), and long scalars folded at PyYAML's width with continuation lines indented two spaces past
 * their key. Byte-compatibility matters because people diff an MLmodel we write against one MLflow wrote.
 *
 * Whole JS numbers print as ints; a float that is whole (`1.0` in Python) cannot be told apart here.
 * `sortKeys: false` keeps insertion order, as `safe_dump(..., sort_keys=False)` (MLflow's python_env.yaml).
 *
 * @example pyyamlDump({ b: 1, a: { d: null, c: 'yes' } }); // "a:\n  c: 'yes'\n  d: null\nb: 1\n"
 */
export function pyyamlDump(data: Record<string, unknown>, options: { sortKeys?: boolean } = {}): string {
  const doc = new Document(data, { ...PYYAML_SCHEMA, sortMapEntries: options.sortKeys ?? true });
  // strings PyYAML double-quotes are written by hand (its escapes differ from the yaml package's):
  // a plain placeholder goes through the yaml package and is swapped for the quoted text afterwards
  const doubleQuoted: string[] = [];
  const marker = `pyyamlDQ${randomBytes(6).toString('hex')}n`;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (needsDoubleQuotes(node.value)) {
        node.value = `${marker}${doubleQuoted.push(pythonDoubleQuoted(node.value)) - 1}x`;
      } else if (needsSingleQuotes(node.value)) node.type = 'QUOTE_SINGLE';
    },
  });
  const text = doc.toString({ singleQuote: true, lineWidth: 0, indentSeq: false });
  return text
    .split('\n')
    .map((line) => foldLine(line))
    .join('\n')
    .replace(new RegExp(`${marker}(\\d+)x`, 'g'), (_m, i: string) => doubleQuoted[Number(i)]!);
}

/** PyYAML (without allow_unicode, as MLflow calls it) double-quotes any string with a character outside printable ASCII but a line break. */
function needsDoubleQuotes(value: string): boolean {
  return /[^\n\x20-\x7e]/.test(value);
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
  '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

/** PyYAML's write_double_quoted escapes: named ones, then \xXX, \uXXXX, \UXXXXXXXX by code point, uppercase hex. */
function pythonDoubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch] !== undefined) out += `\\${ESCAPES[ch]}`;
    else if (code >= 0x20 && code <= 0x7e && ch !== '\ufeff') out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * YAML 1.1 as PyYAML resolves it, for writing and reading files Python wrote: the yaml package's 1.1
 * schema also reads `y`/`n` as booleans and `1e10` (no dot, unsigned exponent) as a float, which PyYAML
 * reads as strings and writes plain; with the package's rules a hex id like `1234e5…` would be quoted
 * on write and turned into a number on read.
 *
 * @example parse(text, PYYAML_SCHEMA);
 */
export const PYYAML_SCHEMA: DocumentOptions & SchemaOptions & ParseOptions = {
  version: '1.1',
  customTags: (tags: Tags) =>
    tags.map((tag) => {
      if (typeof tag !== 'object' || !('test' in tag) || !tag.test) return tag;
      if (tag.tag === 'tag:yaml.org,2002:bool') {
        const truthy = tag.test.test('true');
        return { ...tag, test: truthy ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/ };
      }
      if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') return { ...tag, test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/ };
      return tag;
    }),
};

/**
 * PyYAML single-quotes every string it cannot write plain unless it holds characters only double quotes
 * can escape; the yaml package prefers double quotes for strings containing `'`, so those are forced to
 * single quotes (as the local store's meta.yaml writer does for the same reason).
 */
function needsSingleQuotes(value: string): boolean {
  // a lone `=` is YAML 1.1's value key: PyYAML quotes it, the yaml package does not
  if (value.includes('\n') || value === '=') return true;
  return new Document(value, PYYAML_SCHEMA).toString({ singleQuote: true, lineWidth: 0 }).startsWith('"');
}

/**
 * Re-folds one `key: scalar` line as PyYAML's emitter would: at a single space, once the column is past
 * {@link BEST_WIDTH}, never at the first or last character of a quoted scalar; the continuation is indented
 * two spaces past the key (PyYAML's indent for a mapping value).
 */
function foldLine(line: string): string {
  const match = /^( *)([^\s'"-][^:]*: )(.*)$/.exec(line);
  if (!match || line.length <= BEST_WIDTH) return line;
  const [, indent, key, scalar] = match as unknown as [string, string, string, string];
  const quoted = scalar.startsWith("'") && scalar.endsWith("'") && scalar.length >= 2;
  if (!quoted && /^['"|>[{]/.test(scalar)) return line;
  const body = quoted ? scalar.slice(1, -1) : scalar;
  const continuation = `\n${indent}  `;
  let out = indent + key + (quoted ? "'" : '');
  let column = out.length;
  let position = 0;
  for (const run of body.match(/ +|[^ ]+/g) ?? []) {
    const atEdge = position === 0 || position + run.length === body.length;
    if (run === ' ' && column > BEST_WIDTH && !(quoted && atEdge)) {
      out += continuation;
      column = indent.length + 2;
    } else {
      out += run;
      column += run.length;
    }
    position += run.length;
  }
  return out + (quoted ? "'" : '');
}
