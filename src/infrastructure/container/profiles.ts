/**
 * Profiles pick sensible adapters per environment:
 * - `local` (default): pretty logs, desktop alerts with console fallback, tracking by URI (unset → ./mlruns).
 * - `production`: JSON logs, and a remote MLflow URI is required: a container's local disk is not a
 *   tracking store, so falling back to ./mlruns there would lose runs silently.
 * - `test`: in-memory logger, alerter, tracker and registry; override any of them before the first resolve.
 */
export const PROFILES = ['local', 'production', 'test'] as const;
export type Profile = (typeof PROFILES)[number];

export function isProfile(value: string): value is Profile {
  return (PROFILES as readonly string[]).includes(value);
}
