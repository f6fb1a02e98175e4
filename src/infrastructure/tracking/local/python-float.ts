import { pythonFloat } from '../../../application/training/python-json';
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
  // the finite digits are json.dumps' too: one repr(float) rule (application/training/python-json.ts)
  return pythonFloat(value);
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
