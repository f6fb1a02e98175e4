import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { TS_REQUIRE_HOOK } from '../../support/ts-require-hook';

/**
 * stdout/stderr sinks are checked in a real child process: what matters is what lands on the process's
 * own streams, and that stop() leaves them open for whatever the program prints next.
 * The child loads the TypeScript sources through a tiny transpile-on-require hook.
 */
function runTs(body: string) {
  const hook = `${TS_REQUIRE_HOOK}
    const logging = require(${JSON.stringify(path.resolve(__dirname, '../../../src/infrastructure/logging'))});
    (async () => { ${body} })().catch((e) => { console.error(e); process.exitCode = 1; });
  `;
  const env = { ...process.env, NO_COLOR: '1' };
  return spawnSync(process.execPath, ['-e', hook], { encoding: 'utf8', env, timeout: 20000 });
}

describe('WinstonLogger stdout and stderr sinks', () => {
  it('default sink is stderr, stdout sink writes to stdout, and stop() closes neither stream', () => {
    const result = runTs(`
      const err = new logging.WinstonLogger({ secrets: ['pa55word-xyz'] });
      const out = new logging.WinstonLogger({ sink: 'stdout', format: 'json', source: 'cli' });
      await err.start();
      await out.start();
      err.child('tracker').warn('login with pa55word-xyz failed', { password: 'plain' });
      out.info('result ready', { rows: 2 });
      await out.stop();
      await err.stop();
      process.stdout.write('stdout still open\\n');
      process.stderr.write('stderr still open\\n');
    `);
    expect(result.status).toBe(0);

    const stdout = result.stdout.trim().split('\n');
    expect(JSON.parse(stdout[0])).toMatchObject({ level: 'info', source: 'cli', message: 'result ready', rows: 2 });
    expect(stdout[1]).toBe('stdout still open');

    const stderr = result.stderr.trim().split('\n');
    expect(stderr[0]).toMatch(/^\S+Z WARN {2}\[tracker\] login with \*\*\* failed \{"password":"\*\*\*"\}$/);
    expect(stderr[1]).toBe('stderr still open');
    expect(result.stderr + result.stdout).not.toMatch(/pa55word|plain/);
  });
});
