/**
 * mlops-kit's own version, from its package.json (the same relative path from `src/` and `dist/`; the
 * CLI bundle inlines the file). "0.0.0" when it cannot be read.
 *
 * @example const flavor = { loader: 'linear-regression', mlops_kit_version: kitVersion() };
 */
export function kitVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
