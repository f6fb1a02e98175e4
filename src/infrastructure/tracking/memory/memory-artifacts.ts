import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import type { ArtifactStore } from '../shared/artifact-store';
import { joinArtifactPath, normalizeArtifactPath } from '../shared/artifact-paths';
import { artifactNotFound } from '../shared/file-artifact-store';
import { listLocalFiles, localPathFor, statUploadSource } from '../shared/local-files';

/**
 * Artifact bytes kept in memory, keyed by artifact root (the run's `memory:/…` URI) and `/`-separated
 * relative path, with the same semantics as every ArtifactStore (see ../shared/artifact-store.ts): a file lands at `<dir>/<basename>`, a
 * directory's contents are copied under `<dir>`. Bytes are read at upload time, so later changes to the
 * local file do not leak in.
 *
 * @example const store = artifacts.at(run.info.artifactUri); await store.upload('./out/model', 'model');
 */
export class MemoryArtifacts {
  private readonly byRoot = new Map<string, Map<string, Buffer>>();

  /** The ArtifactStore of one artifact root. */
  at(root: string): ArtifactStore {
    return {
      upload: (localPath, artifactPath) => this.put(root, localPath, artifactPath),
      list: async (dirPath) => this.list(root, dirPath),
      download: (artifactPath, destDir) => this.download(root, artifactPath, destDir),
    };
  }

  async put(root: string, localPath: string, artifactPath?: string): Promise<void> {
    const dir = normalizeArtifactPath(artifactPath);
    const stats = await statUploadSource(localPath);
    const files = this.filesOf(root);
    if (!stats.isDirectory()) {
      files.set(joinArtifactPath(dir, path.basename(localPath)), await fs.readFile(localPath));
      return;
    }
    for (const file of await listLocalFiles(localPath)) files.set(joinArtifactPath(dir, file.relative), await fs.readFile(file.absolute));
  }

  list(root: string, dirPath?: string): ArtifactInfo[] {
    const dir = normalizeArtifactPath(dirPath);
    const prefix = dir === '' ? '' : `${dir}/`;
    const entries = new Map<string, ArtifactInfo>();
    for (const [file, bytes] of this.filesOf(root)) {
      if (!file.startsWith(prefix)) continue;
      const [head, ...rest] = file.slice(prefix.length).split('/');
      const child = prefix + head;
      entries.set(child, rest.length > 0 ? { path: child, isDir: true } : { path: child, isDir: false, fileSize: bytes.length });
    }
    return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async download(root: string, artifactPath: string, destDir: string): Promise<string> {
    const wanted = normalizeArtifactPath(artifactPath);
    const files = [...this.filesOf(root)].filter(([file]) => wanted === '' || file === wanted || file.startsWith(`${wanted}/`));
    if (files.length === 0) throw artifactNotFound(wanted || '/', root);
    const dest = path.resolve(destDir);
    for (const [file, bytes] of files) {
      const local = localPathFor(dest, file);
      await fs.mkdir(path.dirname(local), { recursive: true });
      await fs.writeFile(local, bytes);
    }
    return localPathFor(dest, wanted);
  }

  /** Every file under an artifact root (path → bytes), for tests. */
  filesOf(root: string): Map<string, Buffer> {
    let files = this.byRoot.get(root);
    if (!files) this.byRoot.set(root, (files = new Map()));
    return files;
  }
}
