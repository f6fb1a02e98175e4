import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';

const JOBS = path.resolve(__dirname, '../fixtures/jobs/hello-jobs.js');

describe('mlops-kit with an app-defined job kind (--require)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-custom-'));
    await writeFile(path.join(dir, 'hello.yaml'), 'tracking: { uri: noop }\njob:\n  KIND: HelloJob\n  name: Ada\n  times: 2\n');
    await writeFile(path.join(dir, 'typo.yaml'), 'job:\n  KIND: HelloJob\n  name: Ada\n  tiems: 2\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('`jobs` lists it after the built-in kinds', async () => {
    const { code, stdout } = await runCli(['jobs', '--require', JOBS]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^HelloJob\s+Greets someone/);
    expect(stdout).toMatch(/^PromotionJob\s/m);
  });

  it('`schema` includes its fields', async () => {
    const { code, stdout } = await runCli(['schema', '--require', JOBS]);
    expect(code).toBe(0);
    const options = JSON.parse(stdout).properties.job.oneOf as Array<{ properties: Record<string, { const?: string; description?: string }> }>;
    const hello = options.find((o) => o.properties.KIND!.const === 'HelloJob')!;
    expect(hello.properties.name!.description).toBe('Who to greet.');
  });

  it('`run` runs it through the same runtime and prints its result', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'hello.yaml', '--require', JOBS], { cwd: dir });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout.trim())).toEqual({ kind: 'HelloJob', greeting: 'hello Ada, hello Ada' });
  });

  it('a bad config for it is one line naming file and key, exit 2', async () => {
    const { code, stderr } = await runCli(['run', 'typo.yaml', '--require', JOBS], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/typo\.yaml: job\.tiems: unknown key "tiems"\. Allowed keys: KIND, name, times/);
  });

  it("a ConfigError thrown by the app's job (from the package's entry, not the CLI's bundle) is exit 2, one line", async () => {
    await writeFile(path.join(dir, 'nobody.yaml'), 'tracking: { uri: noop }\njob:\n  KIND: HelloJob\n  name: nobody\n');
    const { code, stderr } = await runCli(['run', 'nobody.yaml', '--require', JOBS], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^mlops-kit: CONFIG_INVALID: job\.name: "nobody" cannot be greeted/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('without --require it is an unknown KIND (exit 2); a missing module is a usage error naming it (exit 2)', async () => {
    const unknown = await runCli(['run', 'hello.yaml'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/job\.KIND: unknown KIND "HelloJob"/);
    const missing = await runCli(['run', 'hello.yaml', '--require', './nope.js'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--require \.\/nope\.js: cannot load .*nope\.js: no such module/);
  });
});
