import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { joinArtifactPath, normalizeArtifactPath } from './artifact-paths';
import type { ArtifactStore } from './artifact-store';
import { listLocalFiles, localPathFor, statUploadSource } from './local-files';

/**
 * A run's artifacts in a local directory (`file:///abs/mlruns/0/<run>/artifacts`, or a plain path): the
 * local store's layout, and what an MLflow server with a file backend reads. Uploads are copies.
 *
 * @example
 * const store = new FileArtifactStore('file:///tmp/mlruns/0/4f1c…/artifacts');
 * await store.upload('./report.html');          // → artifacts/report.html
 * await store.upload('./out/model', 'model');   // → artifacts/model/<contents of out/model>
 * await store.download('model', './restored');  // → ./restored/model
 */
export class FileArtifactStore implements ArtifactStore {
  /** Absolute directory holding the run's artifacts. */
  readonly root: string;

  constructor(rootPathOrUri: string) {
    this.root = path.resolve(rootPathOrUri.startsWith('file:') ? fileUriToPath(rootPathOrUri) : rootPathOrUri);
  }

  async upload(localPath: string, artifactPath?: string): Promise<void> {
    const destination = normalizeArtifactPath(artifactPath);
    const stats = await statUploadSource(localPath);
    const destinationDir = localPathFor(this.root, destination);
    if (!stats.isDirectory()) {
      await fs.mkdir(destinationDir, { recursive: true });
      await fs.copyFile(localPath, path.join(destinationDir, path.basename(localPath)));
      return;
    }
    await copyTree(localPath, destinationDir);
  }

  async list(dirPath?: string): Promise<ArtifactInfo[]> {
    const dir = normalizeArtifactPath(dirPath);
    let entries;
    try {
      entries = await fs.readdir(localPathFor(this.root, dir), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
    const infos: ArtifactInfo[] = [];
    for (const entry of entries) {
      const relative = joinArtifactPath(dir, entry.name);
      const stats = await fs.stat(path.join(this.root, ...relative.split('/'))).catch(() => undefined);
      if (stats?.isDirectory()) infos.push({ path: relative, isDir: true });
      else if (stats?.isFile()) infos.push({ path: relative, isDir: false, fileSize: stats.size });
    }
    return infos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async download(artifactPath: string, destDir: string): Promise<string> {
    const source = normalizeArtifactPath(artifactPath);
    const sourcePath = localPathFor(this.root, source);
    const stats = await fs.stat(sourcePath).catch(() => undefined);
    if (!stats) throw artifactNotFound(source || '/', this.root);
    const target = localPathFor(path.resolve(destDir), source);
    if (stats.isDirectory()) {
      await copyTree(sourcePath, target);
    } else {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.copyFile(sourcePath, target);
    }
    return target;
  }
}

/** Copies the files below `source` into `target` (created if missing; existing files are overwritten). */
async function copyTree(source: string, target: string): Promise<void> {
  const files = await listLocalFiles(source);
  await fs.mkdir(target, { recursive: true });
  for (const file of files) {
    const destination = localPathFor(target, file.relative);
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.copyFile(file.absolute, destination);
  }
}

function fileUriToPath(uri: string): string {
  // `file:///abs` is a URL; `file:relative/dir` (MLflow accepts it) is not
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri.slice('file:'.length);
}

/** The artifact is not in the run: the message names the path and the store and says how to see what exists. */
export function artifactNotFound(artifactPath: string, where: string): NotFoundError {
  return new NotFoundError(
    `Artifact ${JSON.stringify(artifactPath)} does not exist in ${where}. List the run's artifacts to see what was logged; ` +
      'paths are relative to the run\'s artifact root, e.g. "model/MLmodel".',
    ErrorCodes.ARTIFACT_NOT_FOUND,
    { details: { path: artifactPath, where } },
  );
}
