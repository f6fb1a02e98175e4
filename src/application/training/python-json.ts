/**
 * A number Python holds as a `float` even when it is whole: written `1.0`, not `1`. JavaScript has one
 * number type, so a value that came from a float column says so with this wrapper.
 *
 * @example pythonJson([new PyFloat(1), 2]); // '[1.0, 2]'
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * JSON text exactly as Python's `json.dumps(value)` writes it: `", "` and `": "` separators (with
 * `indent`, `json.dumps(value, indent=n)`: one item a line, `","` at line ends), every non-ASCII character
 * escaped (`ensure_ascii=True`), floats as `repr(float)`, and `NaN` / `Infinity` for the non-finite.
 * MLflow stores signatures, dataset schemas, profiles and input examples as such text; writing the same
 * bytes keeps files comparable with ones MLflow wrote.
 *
 * Plain JS numbers that are whole print as Python ints (`3`); the others and {@link PyFloat}s as floats.
 * Object keys whose value is `undefined` are left out, as JSON.stringify does.
 *
 * @example pythonJson({ name: 'temp', required: true }); // '{"name": "temp", "required": true}'
 */
export function pythonJson(value: unknown, indent?: number): string {
  return write(value, indent, 0);
}

function write(value: unknown, indent: number | undefined, level: number): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return pythonFloat(value.value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) ? BigInt(value).toString() : pythonFloat(value);
    case 'string':
      return asciiJsonString(value);
    case 'object': {
      const isArray = Array.isArray(value);
      const items = isArray
        ? (value as unknown[]).map((v) => write(v, indent, level + 1))
        : Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `${asciiJsonString(k)}: ${write(v, indent, level + 1)}`);
      const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
      if (items.length === 0) return open + close;
      if (indent === undefined) return open + items.join(', ') + close;
      const inner = '\n' + ' '.repeat(indent * (level + 1));
      return open + inner + items.join(',' + inner) + '\n' + ' '.repeat(indent * level) + close;
    }
    default:
      throw new TypeError(`pythonJson: cannot write a ${typeof value}`);
  }
}

/**
 * `repr(float)` as json.dumps writes it: shortest round-trip digits, fixed notation for decimal exponents
 * in [-4, 16), scientific with a signed two-digit exponent otherwise, `.0` on whole values.
 *
 * @example pythonFloat(1e-7); // '1e-07'
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const point = exponent + 1; // digits d1d2… mean 0.d1d2… × 10^point
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${head}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** JSON.stringify escapes quotes, backslashes and control characters as Python does; Python also escapes everything outside printable ASCII. */
function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
