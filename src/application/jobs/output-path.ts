import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../domain/errors';

/**
 * The predictions may never overwrite the input (compared by real path, so a symlink or `./a/../in.csv`
 * is caught) nor land on a directory. The config loader refuses both up front (exit 2); this guards apps
 * that build the job config in code.
 *
 * @example await assertUsableOutput('/data/in.csv', '/data/out/predictions.csv');
 */
export async function assertUsableOutput(inputPath: string, outputPath: string): Promise<void> {
  const fail = (why: string): never => {
    throw new ValidationError(`job.outputPath ${outputPath}: ${why}.`, ErrorCodes.INVALID_PATH, { details: { keyPath: 'job.outputPath', outputPath, inputPath } });
  };
  const info = await stat(outputPath).catch(() => undefined);
  if (info?.isDirectory()) fail('is a directory; name the predictions file, e.g. out/predictions.csv');
  // the output may not exist yet: its directory's real path plus its name
  const real = (file: string): Promise<string> =>
    realpath(file).catch(async () => path.join(await realpath(path.dirname(file)).catch(() => path.dirname(file)), path.basename(file)));
  if ((await real(outputPath)) === (await real(inputPath))) fail('is the input file (job.inputPath); write the predictions to another file');
}
