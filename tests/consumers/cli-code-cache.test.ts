import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, run } from './consumer-app';

/** The CLI launcher (scripts/cli-launcher.js → dist/cli.js) keeps V8's code cache in the user's cache dir. */
describe('CLI code cache', () => {
  const version: string = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
  let cache: string;
  beforeEach(() => (cache = mkdtempSync(path.join(os.tmpdir(), 'mlops-cache-'))));
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  const cli = (env: Record<string, string>) =>
    run(process.execPath, [path.join(REPO, 'dist/cli.js'), '--version'], { cwd: REPO, env: { PATH: process.env.PATH ?? '', HOME: cache, ...env } });

  it('lives in $XDG_CACHE_HOME/mlops-kit/<version>/, one file', async () => {
    const result = await cli({ XDG_CACHE_HOME: cache });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    expect(readdirSync(path.join(cache, 'mlops-kit'))).toEqual([version]);
    const files = readdirSync(path.join(cache, 'mlops-kit', version));
    expect(files).toEqual([expect.stringMatching(/^cli-code-cache-\d+-\d+\.bin$/)]);
    await cli({ XDG_CACHE_HOME: cache }); // the second run reads it and writes nothing new
    expect(readdirSync(path.join(cache, 'mlops-kit', version))).toEqual(files);
  });

  it('a rebuilt bundle gets a cache of its own (V8 checks only the source length), and the old one goes', async () => {
    await cli({ XDG_CACHE_HOME: cache });
    const before = readdirSync(path.join(cache, 'mlops-kit', version));
    const bundle = path.join(REPO, 'dist/cli-bundle.js');
    const later = new Date(Date.now() + 5_000);
    utimesSync(bundle, later, later); // what a rebuild of the same length looks like to the launcher
    expect((await cli({ XDG_CACHE_HOME: cache })).code).toBe(0);
    const after = readdirSync(path.join(cache, 'mlops-kit', version));
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('defaults to ~/.cache/mlops-kit without XDG_CACHE_HOME', async () => {
    expect((await cli({})).code).toBe(0);
    expect(readdirSync(path.join(cache, '.cache', 'mlops-kit'))).toEqual([version]);
  });

  it('is bounded: writing a new cache keeps only the three most recently used versions', async () => {
    const root = path.join(cache, 'mlops-kit');
    ['0.0.1', '0.0.2', '0.0.3', '0.0.4'].forEach((old, i) => {
      mkdirSync(path.join(root, old), { recursive: true });
      writeFileSync(path.join(root, old, 'cli-code-cache.bin'), 'old');
      const t = new Date(Date.now() - (10 - i) * 60_000);
      utimesSync(path.join(root, old), t, t);
    });
    expect((await cli({ XDG_CACHE_HOME: cache })).code).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['0.0.3', '0.0.4', version].sort());
  });

  it('an unwritable cache location only costs time: the CLI still runs', async () => {
    writeFileSync(path.join(cache, 'not-a-dir'), '');
    const result = await cli({ XDG_CACHE_HOME: path.join(cache, 'not-a-dir') });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});
