import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../..');

/**
 * Jest compiles tests without type-checking, so the type-level promises (tests/types/*.ts: typed tokens,
 * typed overrides, typed inline configs and results) are checked here by running the real compiler.
 */
describe('type-level API promises', () => {
  it('tests/types compiles: every @ts-expect-error line is an error, every other line is not', async () => {
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'tests/types/tsconfig.json'], { cwd: root }).catch(
      (error: { stdout: string; code: number }) => error,
    );
    expect(result.stdout).toBe('');
  }, 180_000);
});
