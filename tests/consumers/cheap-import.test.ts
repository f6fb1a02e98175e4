import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, run, type Result } from './consumer-app';

/**
 * `require('mlops-kit')` and `import 'mlops-kit'` load only our own small modules: inversify, zod,
 * yaml, dotenv and every adapter library load when first used (src/entries/deferred.ts, the
 * container's lazy adapters). Runs against the build in dist/ (npm test builds it first). A new root
 * export that imports one of these eagerly fails here.
 */
const ROOT_FILE = path.join(REPO, 'dist/index.js');
const node = (args: string[], cwd: string): Promise<Result> => run(process.execPath, args, { cwd });

describe('importing the root is cheap', () => {
  // @nestjs: only `mlops-kit/nest` loads it
  const HEAVY = ['axios', 'winston', 'yaml', 'dotenv', 'zod', 'inversify', '@aws-sdk', 'node-notifier', '@nestjs'];
  // the packages in require.cache (CommonJS modules an ESM import loaded are there too)
  const loadedPackages =
    "const pk = new Set(Object.keys(require.cache).filter((f) => f.includes('node_modules')).map((f) => { const p = f.split('node_modules/').pop().split('/'); return p[0].startsWith('@') ? p[0] + '/' + p[1] : p[0]; }));";

  it('require("mlops-kit") loads none of the adapter libraries, inversify or zod until used', async () => {
    const script = `require(${JSON.stringify(ROOT_FILE)}); ${loadedPackages} console.log(JSON.stringify([...pk]));`;
    const ran = await node(['-e', script], REPO);
    const loaded: string[] = JSON.parse(ran.stdout);
    for (const heavy of HEAVY) expect(loaded.filter((p) => p.startsWith(heavy))).toEqual([]);
  });

  it('import "mlops-kit" from ESM loads none of them either', async () => {
    const script = `import ${JSON.stringify(pathToFileURL(ROOT_FILE).href)}; import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${loadedPackages} console.log(JSON.stringify([...pk]));`;
    const ran = await node(['--input-type=module', '-e', script], REPO);
    const loaded: string[] = JSON.parse(ran.stdout);
    for (const heavy of HEAVY) expect(loaded.filter((p) => p.startsWith(heavy))).toEqual([]);
  });

  it('the probe sees them once used: createContainer() loads inversify and zod', async () => {
    const script = `require(${JSON.stringify(ROOT_FILE)}).createContainer({ config: {}, env: {} }); ${loadedPackages} console.log(JSON.stringify([...pk]));`;
    const ran = await node(['-e', script], REPO);
    const loaded: string[] = JSON.parse(ran.stdout);
    expect(loaded).toEqual(expect.arrayContaining(['inversify', 'zod']));
    expect(loaded.filter((p) => p.startsWith('axios') || p.startsWith('winston'))).toEqual([]);
  });
});
