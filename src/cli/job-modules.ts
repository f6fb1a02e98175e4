import path from 'node:path';
import type { AnyJobDefinition } from '../application/jobs/job-definition';
import { UsageError } from '../domain/errors';

/** True for a value made by `defineJob`. */
function isJobDefinition(value: unknown): value is AnyJobDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AnyJobDefinition>;
  return typeof v.kind === 'string' && typeof v.create === 'function' && typeof v.schema === 'object' && (Array.isArray(v.uses) || typeof v.uses === 'function');
}

/** The definitions a module exports: `jobs` (a list), a default list or definition, or any named definitions. */
function definitionsIn(exports: Record<string, unknown>): AnyJobDefinition[] {
  const listed = exports.jobs ?? exports.default;
  if (Array.isArray(listed)) return listed.filter(isJobDefinition);
  if (isJobDefinition(listed)) return [listed];
  return Object.values(exports).filter(isJobDefinition);
}

/**
 * Loads an app's job kinds for the CLI (`--require ./dist/jobs.js`): each module is required (relative to
 * `cwd`) and must export job definitions made with `defineJob`. A module that cannot be loaded or exports
 * none is a UsageError naming it (exit 2).
 *
 * @example const jobs = loadJobModules(['./dist/jobs.js']); // [HelloJobDefinition]
 */
export function loadJobModules(modules: readonly string[], cwd = process.cwd()): AnyJobDefinition[] {
  const definitions: AnyJobDefinition[] = [];
  for (const module of modules) {
    const file = path.resolve(cwd, module);
    let exports: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app's module is only known at run time
      exports = require(file) as Record<string, unknown>;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(file) ? 'no such module' : (error as Error).message;
      throw new UsageError(`--require ${module}: cannot load ${file}: ${why}. Point --require at your compiled job module (e.g. ./dist/jobs.js).`);
    }
    const found = definitionsIn(exports);
    if (found.length === 0) {
      throw new UsageError(`--require ${module}: ${file} exports no job definitions; export them as \`jobs\` (an array of defineJob(...) results).`);
    }
    definitions.push(...found);
  }
  return definitions;
}
