import { realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * The platform's virtual file systems: writing a log, a store or a spill there is never meant, and
 * Node's `mkdir({ recursive: true })` under /proc spins at 100% CPU instead of failing.
 */
const VIRTUAL_ROOTS = ['/proc', '/sys'];

/**
 * Resolves `target` the way the OS will (symlinks of its nearest existing ancestor included), so
 * `/tmp/link-to-proc/x` is seen as `/proc/x`. Never throws.
 *
 * @example realPathOf('./logs/run.log', '/srv/app'); // '/srv/app/logs/run.log'
 */
export function realPathOf(target: string, cwd = process.cwd()): string {
  const absolute = path.resolve(cwd, target);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync.native(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Why a path we are about to create or write (a log file, a store root, a spill dir) cannot be used,
 * or undefined when it can: under /proc or /sys (after resolving symlinks). One rule for config
 * validation and for the adapters that create the path.
 *
 * @example writablePathProblem('/proc/self/logs/run.log'); // 'is under /proc, a virtual file system …'
 */
export function writablePathProblem(target: string, cwd = process.cwd()): string | undefined {
  const real = realPathOf(target, cwd);
  const root = VIRTUAL_ROOTS.find((r) => real === r || real.startsWith(`${r}/`));
  if (root === undefined) return undefined;
  const resolved = real === path.resolve(cwd, target) ? '' : ` (resolves to ${real})`;
  return `is under ${root}, a virtual file system where files cannot be created${resolved}`;
}

/** `stat` without throwing: undefined when the path does not exist (or cannot be inspected). */
export function statOrUndefined(target: string): Stats | undefined {
  try {
    return statSync(target);
  } catch {
    return undefined;
  }
}
