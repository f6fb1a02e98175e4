import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MlflowTestServer } from '../support/mlflow-server';
import { createConsumerApp, pool, run, type Result } from './consumer-app';

/**
 * The consumer matrix: mlops-kit's `npm pack` tarball installed into fresh apps, each compiled with
 * `skipLibCheck: false` and run. A broken `exports` entry, a `.d.ts` that does not resolve, or a type
 * that degrades to `any` fails here (the last two sections prove the checks would catch both).
 */
const TS_FIXTURES: [string, string][] = [
  ['ts-commonjs', 'typescript-5'], // module commonjs, node10 resolution (typesVersions for subpaths)
  ['ts-node16', 'typescript'],
  ['ts-nodenext', 'typescript'], // an ESM app
  ['ts-bundler', 'typescript'],
];

let app: string;
const compiled = new Map<string, Result>();
const node = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> => run(process.execPath, args, { cwd, env });
const tsc = (fixture: string, compiler: string, extra: string[] = []): Promise<Result> =>
  node([path.join(app, 'node_modules', compiler, 'bin/tsc'), '-p', '.', ...extra], path.join(app, fixture));

beforeAll(async () => {
  app = (await createConsumerApp()).dir;
  // compile every TypeScript fixture up front, two at a time: checking the libraries' .d.ts is the slow part
  const results = await pool(TS_FIXTURES.map(([fixture, compiler]) => () => tsc(fixture, compiler)), 2);
  TS_FIXTURES.forEach(([fixture], i) => compiled.set(fixture, results[i]));
}, 600_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

const APP_OUTPUT = {
  memoryRuns: 2,
  localRunId: 'string',
  localTracker: true,
  code: 'CONFIG_INVALID',
  expected: 'CONFIG_INVALID',
  scoped: 'done',
  variants: 2,
  subpaths: 'function,function,function,function',
};

describe('TypeScript apps (skipLibCheck false) compile against the package and run', () => {
  it.each(TS_FIXTURES.map(([fixture]) => fixture))('%s', async (fixture) => {
    const result = compiled.get(fixture)!;
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
    const ran = await node(['out/app.js'], path.join(app, fixture));
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout.trim().split('\n').pop()!)).toEqual(APP_OUTPUT);
  }, 60_000);
});

describe('JavaScript apps', () => {
  const expected = { runs: 1, kinds: ['function'] };
  it('plain ESM: named imports from the root and every subpath', async () => {
    const ran = await node(['app.mjs'], path.join(app, 'js-esm'));
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual(expected);
  });

  it('plain CommonJS: require of the root and every subpath', async () => {
    const ran = await node(['app.cjs'], path.join(app, 'js-cjs'));
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual(expected);
  });
});

it('a stock ts-jest setup (preset only, no transform of our dependencies) runs the app tests: the test container, and its real MLflow path against startMlflowTestServer (3.x and 2.x)', async () => {
  const ran = await node([path.join(app, 'node_modules/jest/bin/jest.js'), '--ci', '--rootDir', '.'], path.join(app, 'ts-jest'));
  expect(ran.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
  expect(ran.code).toBe(0);
}, 180_000);

it('a Nest 11 app (CommonJS, stock ts-jest) imports mlops-kit/nest: trains, promotes, rebinds adapters, shuts down within its deadline under load', async () => {
  // the whole program with skipLibCheck false: our .d.ts against Nest's, as the app's own tsc sees them
  const checked = await tsc('nest-cjs', 'typescript', ['--noEmit']);
  expect(checked.stdout + checked.stderr).toBe('');
  const ran = await node([path.join(app, 'node_modules/jest/bin/jest.js'), '--ci', '--rootDir', '.'], path.join(app, 'nest-cjs'));
  expect(ran.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  expect(ran.code).toBe(0);
}, 180_000);

describe('optional peer dependencies', () => {
  let server: MlflowTestServer | undefined;
  afterEach(async () => server?.stop());

  it('s3:// artifacts without @aws-sdk/client-s3 installed: exit 2, one line naming the package to install', async () => {
    server = await MlflowTestServer.start({ artifactRoot: 's3://mlflow/prefix' });
    const work = path.join(app, 's3-job');
    mkdirSync(work, { recursive: true });
    writeFileSync(
      path.join(work, 'train.yaml'),
      'alerts: { enabled: false }\njob: { KIND: TrainingJob, model: churn, rows: 40, epochs: 2, register: false }\n',
    );
    const env = { PATH: process.env.PATH ?? '', HOME: app, XDG_CACHE_HOME: path.join(app, '.cache'), MLFLOW_TRACKING_URI: server.uri, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 'secret-s3-key' };
    const ran = await node([path.join(app, 'node_modules/mlops-kit/dist/cli.js'), 'run', 'train.yaml', '--set', 'logging.level=error'], work, env);
    expect(ran.code).toBe(2);
    // the CLI's own report: one line, no stack (the job's log line above it is the logger's business)
    const last = ran.stderr.trim().split('\n').pop();
    expect(last).toBe(
      'mlops-kit: ADAPTER_NOT_AVAILABLE: s3:// artifacts need the optional package @aws-sdk/client-s3, which is not installed. Install it with: npm install @aws-sdk/client-s3',
    );
  });

  it('desktop alerts without node-notifier fall back to the console and say which package to install', async () => {
    const work = path.join(app, 'notify-job');
    mkdirSync(work, { recursive: true });
    writeFileSync(path.join(work, 'job.yaml'), 'alerts: { enabled: true }\ntracking: { uri: "memory:" }\njob: { KIND: ExampleJob }\n');
    const env = { PATH: process.env.PATH ?? '', HOME: app, XDG_CACHE_HOME: path.join(app, '.cache') };
    const ran = await node([path.join(app, 'node_modules/mlops-kit/dist/cli.js'), 'run', 'job.yaml'], work, env);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toMatch(/node-notifier is not installed.*npm install node-notifier/);
  });
});

describe('the matrix catches a broken package', () => {
  // a copy of the installed package in a nested node_modules, found before the good one
  const broken = (): string => path.join(app, 'broken');
  beforeAll(() => {
    const pkgDir = path.join(broken(), 'node_modules/mlops-kit');
    cpSync(path.join(app, 'node_modules/mlops-kit'), pkgDir, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    delete manifest.exports['./testing'];
    writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest));
    const deferred = path.join(pkgDir, 'dist/entries/deferred.d.ts');
    writeFileSync(deferred, readFileSync(deferred, 'utf8').replace(/\): MlopsContainer<[^;]*;/g, '): any;'));
    cpSync(path.join(app, 'js-cjs'), path.join(broken(), 'js-cjs'), { recursive: true });
    cpSync(path.join(app, 'ts-node16'), path.join(broken(), 'ts-node16'), { recursive: true });
  });

  it('an entry point missing from exports fails the JavaScript apps', async () => {
    const ran = await node(['app.cjs'], path.join(broken(), 'js-cjs'));
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('a container type that degrades to any fails the type test', async () => {
    const ran = await node([path.join(app, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit', '--skipLibCheck'], path.join(broken(), 'ts-node16'));
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).toMatch(/types-check\.ts.*(TS2578|TS2322)/);
  }, 180_000);
});
