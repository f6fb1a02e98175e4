import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InferenceJob } from '../../../src/application/jobs/inference-job';
import { ErrorCodes, ValidationError } from '../../../src/domain/errors';
import { memoryServices, rejectionOf } from './job-services';

/** Issue #11 "Files": the job itself refuses (for apps that build its config in code, past the loader's check). */
describe('InferenceJob output path', () => {
  let tmp: string;
  const input = 'hour,temperature\n8,18\n';
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'inference-output-'));
    await writeFile(path.join(tmp, 'in.csv'), input);
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const jobWith = (outputPath: string) =>
    new InferenceJob(memoryServices().services, { KIND: 'InferenceJob', modelUri: 'models:/m/1', inputPath: path.join(tmp, 'in.csv'), outputPath });

  it.each([
    ['the same path', () => path.join(tmp, 'in.csv')],
    ['the same file through ./sub/..', () => path.join(tmp, 'sub', '..', 'in.csv')],
    ['a symlink to the input', () => path.join(tmp, 'link.csv')],
  ])('never overwrites its input: %s is a ValidationError(INVALID_PATH), input untouched', async (_what, output) => {
    await mkdir(path.join(tmp, 'sub'));
    await symlink(path.join(tmp, 'in.csv'), path.join(tmp, 'link.csv'));
    const error = await rejectionOf(jobWith(output()).execute());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_PATH);
    expect((error as Error).message).toMatch(/is the input file/);
    expect(await readFile(path.join(tmp, 'in.csv'), 'utf8')).toBe(input);
  });

  it('refuses a directory as output with INVALID_PATH instead of a raw EISDIR', async () => {
    await mkdir(path.join(tmp, 'out'));
    const error = await rejectionOf(jobWith(path.join(tmp, 'out')).execute());
    expect((error as ValidationError).code).toBe(ErrorCodes.INVALID_PATH);
    expect((error as Error).message).toMatch(/is a directory/);
  });
});
