import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPnpmApp, PNPM_FIXTURE, run, type Result } from './consumer-app';

/**
 * The zod contract, proven where npm's hoisting cannot hide a gap: an app installed by pnpm (strict
 * node_modules) compiles a defineJob whose schema uses `z` from `mlops-kit/zod`, with skipLibCheck false,
 * and runs it. The app has no zod of its own, and the last test shows it really cannot import one.
 */
let app: Result & { dir: string };
const node = (args: string[]): Promise<Result> => run(process.execPath, args, { cwd: app.dir });
const tsc = (extra: string[] = []): Promise<Result> => node([path.join(app.dir, 'node_modules/typescript/bin/tsc'), '-p', '.', ...extra]);

beforeAll(async () => {
  app = await createPnpmApp(PNPM_FIXTURE);
}, 600_000);

afterAll(() => {
  if (app?.dir) rmSync(app.dir, { recursive: true, force: true });
});

describe('a pnpm app (strict node_modules)', () => {
  it('installs the tarball; the app sees only its own dependencies: no zod at its top', () => {
    expect(app.stderr).toBe('');
    expect(app.code).toBe(0);
    expect(existsSync(path.join(app.dir, 'node_modules/mlops-kit/package.json'))).toBe(true);
    expect(existsSync(path.join(app.dir, 'node_modules/zod'))).toBe(false);
  });

  it('compiles its own job kind written with z from mlops-kit/zod (skipLibCheck false), and runs it', async () => {
    const compiled = await tsc();
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    const ran = await node(['out/app.js']);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout.trim())).toEqual({ greeting: 'hello Ada, hello Ada', invalid: true, runs: 1 });
  }, 180_000);

  it('the strictness is real: the same app importing zod directly does not compile', async () => {
    writeFileSync(path.join(app.dir, 'src/own-zod.ts'), "import { z } from 'zod';\nexport const schema = z.object({});\n");
    try {
      const compiled = await tsc(['--noEmit']);
      expect(compiled.code).not.toBe(0);
      expect(compiled.stdout).toMatch(/own-zod\.ts.*TS2307: Cannot find module 'zod'/);
    } finally {
      rmSync(path.join(app.dir, 'src/own-zod.ts'));
    }
  }, 180_000);
});
