/** An entry of a run's artifact tree. `path` is relative to the run's artifact root, `/`-separated. */
export interface ArtifactInfo {
  path: string;
  isDir: boolean;
  fileSize?: number;
}
