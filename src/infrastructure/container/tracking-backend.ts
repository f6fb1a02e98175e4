import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ErrorCodes } from '../../domain/errors';

/** Which adapter family a tracking URI selects. */
export type TrackingBackend =
  | { kind: 'local'; root: string }
  | { kind: 'mlflow'; uri: string }
  | { kind: 'memory' }
  | { kind: 'noop' };

export const DEFAULT_LOCAL_STORE = './mlruns';

/**
 * Maps a tracking URI to a backend, the way MLflow does: unset, a path or `file:` → the local file store;
 * `http(s)://` → an MLflow server; `memory:` → in-memory; `noop` → discard. Anything else is a ConfigError
 * naming the key, rather than a silent fallback.
 */
export function selectTrackingBackend(uri: string | undefined, cwd = process.cwd(), keyPath = 'tracking.uri'): TrackingBackend {
  const value = uri?.trim();
  if (!value) return { kind: 'local', root: path.resolve(cwd, DEFAULT_LOCAL_STORE) };
  if (value === 'noop' || value === 'noop:') return { kind: 'noop' };
  if (value === 'memory' || value.startsWith('memory:')) return { kind: 'memory' };
  if (/^https?:\/\//i.test(value)) return { kind: 'mlflow', uri: value.replace(/\/+$/, '') };
  if (value.startsWith('file:')) {
    const root = value.startsWith('file://') ? fileURLToPath(value) : value.slice('file:'.length);
    return { kind: 'local', root: path.resolve(cwd, root) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  // a Windows drive letter ("C:\mlruns") is a path, not a scheme
  if (scheme && !/^[a-z]:[\\/]/i.test(value)) {
    throw new ConfigError(
      `${keyPath}: unsupported tracking URI scheme "${scheme[1]}:". Use an http(s):// MLflow server, a path or file: URI for the local store, memory: or noop.`,
      ErrorCodes.CONFIG_INVALID,
      { details: { keyPath, scheme: scheme[1] } },
    );
  }
  return { kind: 'local', root: path.resolve(cwd, value) };
}
