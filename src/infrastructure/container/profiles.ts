/**
 * Profiles pick sensible adapters per environment:
 * - `local` (default): pretty logs, desktop alerts with console fallback, tracking by URI (unset → ./mlruns).
 * - `production`: JSON logs, and a remote MLflow URI is required: a container's local disk is not a
 *   tracking store, so falling back to ./mlruns there would lose runs silently.
 * - `test`: in-memory logger, alerter, tracker and registry; override any of them before the first resolve.
 *
 * @example console.log(`--profile: one of ${PROFILES.join(', ')}`);
 */
export const PROFILES = ['local', 'production', 'test'] as const;

/**
 * One of {@link PROFILES}: the environment a container is built for, which picks its default adapters.
 *
 * @example const profile: Profile = process.env.NODE_ENV === 'production' ? 'production' : 'local';
 */
export type Profile = (typeof PROFILES)[number];

/**
 * True when `value` names a profile: narrows a flag or an environment variable before it reaches
 * `createContainer`.
 *
 * @example const name = process.env.MLOPS_PROFILE ?? 'local'; const profile: Profile = isProfile(name) ? name : 'local';
 */
export function isProfile(value: string): value is Profile {
  return (PROFILES as readonly string[]).includes(value);
}
