import path from 'node:path';
import { loggedModelIdOf } from '../../domain/model/naming-rules';
import { fileURLToPath } from 'node:url';
import type { StoredRun, StoredVersion } from './store-types';

/** Where a source run went on the target. `runId` is undefined for a run a dry run would create. */
export interface TargetRun {
  runId?: string;
  artifactUri: string;
  /** Store logged model id → its URI on the target, for the logged models this run produced. */
  models?: ReadonlyMap<string, string>;
}

/** What a model version is registered with on the target, or why it cannot be. */
export type SourcePlan = { source: string; runId?: string; newRun: boolean } | { problem: string };

/**
 * Rewrites a stored model version's `source` for the target server. The files were uploaded with their
 * run, so a source inside a store run's artifacts (a local path, a `file:` URI, or `runs:/<id>/<path>`)
 * becomes `<new run's artifact_uri>/<path below the old run's artifacts dir>`, and `run_id` becomes the
 * new run's id. A logged model's `models:/m-<id>` becomes the URI the model got when its run was synced.
 * A non-local source (`s3://…`, `mlflow-artifacts:/…`, `models:/…`) is kept as is. A local
 * path outside every run of the store would mean nothing on the server, so it is reported, not sent.
 *
 * @example
 * planVersionSource({ source: 'file:///m/1/abc/artifacts/model', runId: 'abc', … }, runs, targets)
 * // → { source: 'mlflow-artifacts:/4/9f2…/artifacts/model', runId: '9f2…', newRun: false }
 */
export function planVersionSource(version: StoredVersion, runs: ReadonlyMap<string, StoredRun>, targets: ReadonlyMap<string, TargetRun>): SourcePlan {
  const modelId = loggedModelIdOf(version.source);
  if (modelId !== undefined) {
    // the model went with the run that logged it (a mirror's model goes to its server run)
    for (const target of targets.values()) {
      const source = target.models?.get(modelId);
      if (source !== undefined) return { source, runId: target.runId, newRun: target.runId === undefined };
    }
    if (version.runId !== undefined && runs.has(version.runId)) return { problem: `its logged model ${modelId} was not synced with run ${version.runId}` };
  }
  const runsUri = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(version.source);
  if (runsUri) {
    const [, runId, rest] = runsUri as unknown as [string, string, string | undefined];
    if (!runs.has(runId)) return { source: version.source, runId: version.runId, newRun: false };
    return rewritten(runId, normalize(rest ?? ''), targets);
  }
  if (!isLocal(version.source)) {
    const mapped = version.runId !== undefined && runs.has(version.runId) ? targets.get(version.runId) : undefined;
    const runId = version.runId !== undefined && runs.has(version.runId) ? mapped?.runId : version.runId;
    return { source: version.source, runId, newRun: mapped !== undefined && mapped.runId === undefined };
  }
  const local = localPath(version.source);
  const candidates = [...(version.runId && runs.has(version.runId) ? [runs.get(version.runId)!] : []), ...runs.values()];
  for (const run of candidates) {
    const relative = pathInsideRun(local, run);
    if (relative !== undefined) return rewritten(run.runId, relative, targets);
  }
  return {
    problem: `its source ${version.source} is a local path outside every run of the store, so the target server could not read it`,
  };
}

function rewritten(originRunId: string, relative: string, targets: ReadonlyMap<string, TargetRun>): SourcePlan {
  const target = targets.get(originRunId);
  if (!target) return { problem: `its run ${originRunId} was not synced (deleted or unreadable in the store)` };
  if (relative.split('/').includes('..')) return { problem: `its path climbs out of the artifacts of run ${originRunId}` };
  const root = target.artifactUri.replace(/\/+$/, '');
  return { source: relative === '' ? root : `${root}/${relative}`, runId: target.runId, newRun: target.runId === undefined };
}

/**
 * The `/`-separated path of `file` below the run's artifacts directory, or undefined when outside it.
 * Tried against where the files are now, where meta.yaml says they were, and finally by the
 * `<run_id>/artifacts/` segment, which still matches after the store was moved or copied elsewhere.
 */
export function pathInsideRun(file: string, run: StoredRun): string | undefined {
  const roots = [run.artifactsDir, isLocal(run.artifactUri) && run.artifactUri !== '' ? localPath(run.artifactUri) : undefined];
  for (const root of roots) {
    if (root === undefined) continue;
    const relative = path.relative(root, file);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return normalize(relative);
  }
  const parts = file.split(/[\\/]+/);
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === run.runId && parts[i + 1] === 'artifacts') return normalize(parts.slice(i + 2).join('/'));
  }
  return undefined;
}

function isLocal(uri: string): boolean {
  if (/^[a-z]:[\\/]/i.test(uri)) return true; // a Windows drive letter, not a scheme
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
  return scheme === undefined || scheme.toLowerCase() === 'file';
}

function localPath(uri: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (uri.startsWith('file:')) return path.resolve(uri.slice('file:'.length));
  return path.resolve(uri);
}

function normalize(relative: string): string {
  return relative.split(/[\\/]+/).filter((part) => part !== '' && part !== '.').join('/');
}
