/**
 * An entry of a run's artifact tree. `path` is relative to the run's artifact root, `/`-separated.
 *
 * @example for (const a of await tracker.listArtifacts(runId, 'model')) if (!a.isDir) console.log(a.path, a.fileSize);
 */
export interface ArtifactInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}
