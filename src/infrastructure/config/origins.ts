import { lookup, type ConfigTree, type KeyPath } from './tree';

/** One input of the merge: a parsed file, or one `--set` override (`path` is where it wrote). */
export type ConfigSource =
  | { kind: 'file'; name: string; tree: ConfigTree }
  | { kind: 'set'; name: '--set'; path: readonly string[] };

/**
 * Answers "which file did this key come from?" after the merge, so an error can name the file the
 * user has to edit. The last source that holds a key path is its origin: any later source that
 * replaced it would hold it too, and a later source that replaced a parent with a scalar would have
 * removed the key from the merged config altogether.
 *
 * @example
 * const origins = new OriginIndex([{ kind: 'file', name: 'base.yaml', tree }]);
 * origins.originOf(['tracking', 'password']); // 'base.yaml'
 */
export class OriginIndex {
  constructor(private readonly sources: readonly ConfigSource[]) {}

  /** The origin of `path`, else of its nearest parent that has one, else the last file (or "config"). */
  originOf(path: KeyPath): string {
    for (let length = path.length; length >= 1; length--) {
      const found = this.exactOrigin(path.slice(0, length));
      if (found !== undefined) return found;
    }
    // nothing holds it: a key created only by overrides (`--set job.KIND=…` with no job in any file)
    const created = this.sources.some((s) => s.kind === 'set' && startsWith(s.path, path.slice(0, 1)));
    if (created) return '--set';
    const files = this.sources.filter((s) => s.kind === 'file');
    return files.length > 0 ? files[files.length - 1]!.name : 'config';
  }

  private exactOrigin(path: KeyPath): string | undefined {
    for (let i = this.sources.length - 1; i >= 0; i--) {
      const source = this.sources[i]!;
      if (source.kind === 'set') {
        // an override owns everything under the path it wrote
        if (startsWith(path, source.path)) return source.name;
        // `--set job.epochs.x=5` over `epochs: 200` turned the number into a mapping: the override did that
        if (startsWith(source.path, path) && !this.mappingBefore(i, path)) return source.name;
      } else if (lookup(source.tree, path).found) {
        return source.name;
      }
    }
    return undefined;
  }

  /** True when a file before source `index` holds a mapping at `path` (so an override below it only added a key). */
  private mappingBefore(index: number, path: KeyPath): boolean {
    for (let i = index - 1; i >= 0; i--) {
      const source = this.sources[i]!;
      if (source.kind === 'set') {
        if (startsWith(path, source.path) || startsWith(source.path, path)) return true;
        continue;
      }
      const { found, value } = lookup(source.tree, path);
      if (found) return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
    return false;
  }
}

function startsWith(path: KeyPath, prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
