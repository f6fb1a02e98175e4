import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { joinArtifactPath, normalizeArtifactPath } from '../shared/artifact-paths';
import { artifactNotFound } from '../shared/file-artifact-store';
import { listLocalFiles, localPathFor, statUploadSource } from '../shared/local-files';

/**
 * Artifact bytes kept in memory, keyed by run and `/`-separated relative path, with the same semantics as
 * every ArtifactStore (see ../artifacts/artifact-store.ts): a file lands at `<dir>/<basename>`, a
 * directory's contents are copied under `<dir>`. Bytes are read at upload time, so later changes to the
 * local file do not leak in.
 *
 * @example await artifacts.put(runId, './out/model', 'model'); artifacts.list(runId, 'model');
 */
export class MemoryArtifacts {
  private readonly byRun = new Map<string, Map<string, Buffer>>();

  async put(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const dir = normalizeArtifactPath(artifactPath);
    const stats = await statUploadSource(localPath);
    const files = this.filesOf(runId);
    if (!stats.isDirectory()) {
      files.set(joinArtifactPath(dir, path.basename(localPath)), await fs.readFile(localPath));
      return;
    }
    for (const file of await listLocalFiles(localPath)) files.set(joinArtifactPath(dir, file.relative), await fs.readFile(file.absolute));
  }

  list(runId: string, dirPath?: string): ArtifactInfo[] {
    const dir = normalizeArtifactPath(dirPath);
    const prefix = dir === '' ? '' : `${dir}/`;
    const entries = new Map<string, ArtifactInfo>();
    for (const [file, bytes] of this.filesOf(runId)) {
      if (!file.startsWith(prefix)) continue;
      const [head, ...rest] = file.slice(prefix.length).split('/');
      const child = prefix + head;
      entries.set(child, rest.length > 0 ? { path: child, isDir: true } : { path: child, isDir: false, fileSize: bytes.length });
    }
    return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async download(runId: string, artifactPath: string, destDir: string): Promise<string> {
    const wanted = normalizeArtifactPath(artifactPath);
    const files = [...this.filesOf(runId)].filter(([file]) => wanted === '' || file === wanted || file.startsWith(`${wanted}/`));
    if (files.length === 0) throw artifactNotFound(wanted || '/', `run ${runId} (in memory)`);
    const root = path.resolve(destDir);
    for (const [file, bytes] of files) {
      const local = localPathFor(root, file);
      await fs.mkdir(path.dirname(local), { recursive: true });
      await fs.writeFile(local, bytes);
    }
    return localPathFor(root, wanted);
  }

  /** Every file of a run (path → bytes), for tests. */
  filesOf(runId: string): Map<string, Buffer> {
    let files = this.byRun.get(runId);
    if (!files) this.byRun.set(runId, (files = new Map()));
    return files;
  }
}
