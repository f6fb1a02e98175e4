import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, runExecutable, type CliResult } from '../support/cli';

/**
 * Issue #11, "Secrets printed": each case runs the built CLI as a child process and checks that neither
 * the secret nor any 4-character piece of it reaches stdout or stderr. Secrets are random-looking so a
 * 4-character window cannot collide with ordinary words in the output.
 */
const SECRET = 'Pw9x7Qz4kLm2Vb8';

function fragments(secret: string): string[] {
  return Array.from({ length: secret.length - 3 }, (_, i) => secret.slice(i, i + 4));
}

function expectNoFragment(result: CliResult, secret = SECRET): void {
  const output = result.stdout + result.stderr;
  for (const piece of fragments(secret)) expect(output).not.toContain(piece);
}

describe('mlops-kit never prints a secret or a piece of one (issue #11)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  describe('YAML errors on secret-keyed lines', () => {
    it('an unquoted password starting with "*" (an alias) is refused without quoting it', async () => {
      const file = await write('alias.yaml', `job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  password: *${SECRET}\n`);
      const result = await runCli(['run', file], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/CONFIG_PARSE: .*alias\.yaml.*Unresolved alias/);
      expectNoFragment(result);
    });

    it('a token starting with ">" (a block scalar header) is refused without quoting it', async () => {
      const file = await write('block.yaml', `job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  token: >${SECRET}\n`);
      const result = await runCli(['run', file], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/CONFIG_PARSE: .*block\.yaml:4:\d+: .*Block scalar header/);
      expectNoFragment(result);
    });

    it('an unknown tag (password: !Secr3t…) is an error naming file, line and key path, never dropped silently', async () => {
      const file = await write('tag.yaml', `job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  password: !${SECRET}\n`);
      const result = await runCli(['run', file], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/CONFIG_PARSE: .*tag\.yaml:4:\d+: tracking\.password: unknown YAML tag/);
      expectNoFragment(result);
    });
  });

  describe('--print-config masks by value as well as by key', () => {
    it.each(['MLFLOW_TRACKING_TOKEN', 'AWS_SECRET_ACCESS_KEY'])('a %s substituted into a harmless key is masked', async (variable) => {
      const file = await write('p.yaml', `job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  experimentName: \${${variable}}\n`);
      const result = await runCli(['run', file, '--print-config'], { cwd: dir, env: { [variable]: SECRET } });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/experimentName: "?\*\*\*"?/);
      expectNoFragment(result);
    });

    it('a secret from .env substituted into a harmless key is masked', async () => {
      await write('.env', `MLFLOW_TRACKING_PASSWORD=${SECRET}\n`);
      const file = await write('p.yaml', 'job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  experimentName: run-${MLFLOW_TRACKING_PASSWORD}\n');
      const result = await runCli(['run', file, '--print-config'], { cwd: dir });
      expect(result.code).toBe(0);
      expectNoFragment(result);
    });
  });

  it('a config password is masked when a type error in another field would echo the same value', async () => {
    const file = await write('t.yaml', `job: {KIND: ExampleJob}\ntracking:\n  uri: "memory:"\n  password: ${SECRET}\n  maxRetries: ${SECRET}\n`);
    const result = await runCli(['run', file], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('t.yaml: tracking.maxRetries: expected a number');
    expectNoFragment(result);
  });

  describe('a server answering 200 with a non-JSON body that starts with the password', () => {
    let server: http.Server;
    let uri: string;
    beforeAll(async () => {
      server = http.createServer((request, response) => {
        request.resume();
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(`${SECRET} is not what you expected`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    // onUnavailable: fail, so the server's answer reaches the error line (with spill the job would go on, spilled)
    const config = async (): Promise<string> =>
      write('remote.yaml', `job: {KIND: ExampleJob}\nalerts: {enabled: false}\ntracking:\n  uri: ${uri}\n  username: ana\n  maxRetries: 0\n  onUnavailable: fail\n`);

    it('with the password in the process environment', async () => {
      const result = await runCli(['run', await config()], { cwd: dir, env: { MLFLOW_TRACKING_PASSWORD: SECRET } });
      expect(result.code).toBe(1);
      expectNoFragment(result);
    });

    it('with the password in .env', async () => {
      await write('.env', `MLFLOW_TRACKING_PASSWORD=${SECRET}\n`);
      const result = await runCli(['run', await config()], { cwd: dir });
      expect(result.code).toBe(1);
      expectNoFragment(result);
    });

    it('with the password in a file passed by --env-file', async () => {
      await write('staging.env', `MLFLOW_TRACKING_PASSWORD=${SECRET}\n`);
      const result = await runExecutable(['run', await config(), '--env-file', 'staging.env'], { cwd: dir });
      expect(result.code).toBe(1);
      expectNoFragment(result);
    });

    it('with sync, the password in .env', async () => {
      const store = path.join(dir, 'mlruns');
      const local = await runCli(['run', await write('local.yaml', `job: {KIND: ExampleJob}\nalerts: {enabled: false}\ntracking: {uri: ${store}}\n`)], { cwd: dir });
      expect(local.code).toBe(0);
      await write('.env', `MLFLOW_TRACKING_URI=${uri}\nMLFLOW_TRACKING_USERNAME=ana\nMLFLOW_TRACKING_PASSWORD=${SECRET}\nMLFLOW_HTTP_REQUEST_MAX_RETRIES=0\n`);
      await mkdir(store, { recursive: true });
      const result = await runCli(['sync', store], { cwd: dir });
      expect(result.code).toBe(1);
      expectNoFragment(result);
    });
  });
});
