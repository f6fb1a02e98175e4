import { ErrorCodes } from '../../../src/domain/errors';
import { loadConfig, loadEnv } from '../../../src/infrastructure/config';
import { configErrorOf, TempConfigDir } from './config-test-helpers';

describe('.env handling', () => {
  let tmp: TempConfigDir;
  beforeEach(() => {
    tmp = new TempConfigDir();
  });
  afterEach(() => tmp.cleanup());

  it('reads .env from cwd and lets the process environment win', () => {
    tmp.write('.env', 'MLFLOW_TRACKING_URI=http://from-dotenv:5000\nMLFLOW_EXPERIMENT_NAME="from dotenv"\n# comment\n');
    const { env, envFile } = loadEnv({ cwd: tmp.dir, env: { MLFLOW_TRACKING_URI: 'http://from-shell:5000' } });
    expect(env.MLFLOW_TRACKING_URI).toBe('http://from-shell:5000');
    expect(env.MLFLOW_EXPERIMENT_NAME).toBe('from dotenv');
    expect(envFile).toBe(`${tmp.dir}/.env`);
  });

  it('feeds .env values into ${VAR} substitution and returns the merged env', () => {
    tmp.write('.env', 'EXP=from-dotenv\nTOKEN=dotenv-token\n');
    const file = tmp.write('app.yaml', 'tracking: { experimentName: "${EXP}", token: "${TOKEN}" }\njob: { KIND: ExampleJob }\n');
    const { config, env } = loadConfig({ files: [file], cwd: tmp.dir, env: { TOKEN: 'shell-token' } });
    expect(config.tracking).toMatchObject({ experimentName: 'from-dotenv', token: 'shell-token' });
    expect(env).toMatchObject({ EXP: 'from-dotenv', TOKEN: 'shell-token' });
  });

  it('does not modify the environment object it was given (or process.env)', () => {
    tmp.write('.env', 'ONLY_IN_DOTENV_FOR_TEST=1\n');
    const given = { A: 'a' };
    loadEnv({ cwd: tmp.dir, env: given });
    expect(given).toEqual({ A: 'a' });
    expect(process.env.ONLY_IN_DOTENV_FOR_TEST).toBeUndefined();
  });

  it('is fine without a .env file, whether defaulted or passed as ".env"', () => {
    expect(loadEnv({ cwd: tmp.dir, env: { A: 'a' } })).toEqual({ env: { A: 'a' } });
    expect(loadEnv({ cwd: tmp.dir, env: { A: 'a' }, envFile: '.env' })).toEqual({ env: { A: 'a' } });
  });

  it('fails with CONFIG_FILE_NOT_FOUND when another, explicitly named env file is missing', () => {
    const error = configErrorOf(() => loadEnv({ cwd: tmp.dir, env: {}, envFile: 'conf/staging.env' }));
    expect(error.code).toBe(ErrorCodes.CONFIG_FILE_NOT_FOUND);
    expect(error.message).toMatch(/^conf\/staging\.env: env file not found/);
  });

  it('reads a named env file, and none at all with envFile: false', () => {
    tmp.write('staging.env', 'STAGE=staging\n');
    tmp.write('.env', 'STAGE=default\n');
    expect(loadEnv({ cwd: tmp.dir, env: {}, envFile: 'staging.env' }).env.STAGE).toBe('staging');
    expect(loadEnv({ cwd: tmp.dir, env: {}, envFile: false }).env.STAGE).toBeUndefined();
  });
});
