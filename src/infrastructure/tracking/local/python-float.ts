/**
 * Metric values in MLflow's file store are written by Python as `f"{value}"`, i.e. `repr(float)`: the
 * shortest digits that round-trip, fixed notation when the decimal exponent is in [-4, 16), scientific
 * otherwise with a signed two-digit exponent, and `.0` on integral values. Matching it byte for byte keeps
 * files interchangeable with ones MLflow wrote.
 *
 * @example
 * formatPythonFloat(1)     // '1.0'
 * formatPythonFloat(1e-7)  // '1e-07'
 * formatPythonFloat(1e16)  // '1e+16'
 * formatPythonFloat(NaN)   // 'nan'
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const decimalPoint = exponent + 1; // digits d1d2… mean 0.d1d2… × 10^decimalPoint
  if (decimalPoint > -4 && decimalPoint <= 16) {
    if (decimalPoint <= 0) return `${sign}0.${'0'.repeat(-decimalPoint)}${digits}`;
    if (decimalPoint >= digits.length) return `${sign}${digits}${'0'.repeat(decimalPoint - digits.length)}.0`;
    return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${head}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Parses what Python's `float()` accepts in these files (`nan`, `inf`, `-inf`, `1e-07`, `3`); NaN when it is not a number. */
export function parsePythonFloat(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^[+-]?nan$/.test(trimmed)) return NaN;
  if (/^\+?inf(inity)?$/.test(trimmed)) return Infinity;
  if (/^-inf(inity)?$/.test(trimmed)) return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(trimmed)) return NaN;
  return Number(trimmed);
}

/** True when `text` is a number Python's `float()` would accept. */
export function isPythonFloat(text: string): boolean {
  return /^[+-]?(nan|inf(inity)?|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)$/i.test(text.trim());
}
