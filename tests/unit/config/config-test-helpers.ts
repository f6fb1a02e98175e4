import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/domain/errors';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/config');

/** A throwaway directory of real config files; `cleanup()` removes it. */
export class TempConfigDir {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-kit-config-'));

  /** Writes `text` to `name` (relative to the dir) and returns `name`. */
  write(name: string, text: string): string {
    writeFileSync(path.join(this.dir, name), text);
    return name;
  }

  /** Copies a file from tests/fixtures/config and returns its name. */
  fixture(name: string): string {
    copyFileSync(path.join(FIXTURES, name), path.join(this.dir, name));
    return name;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn`, expects a ConfigError, and returns it for further assertions. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
