import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { inputExampleFiles } from './input-example';
import { MLMODEL_FILE, mlmodelYaml, type MlmodelFields } from './mlmodel-file';

/**
 * What {@link saveMlmodel} needs: the MLmodel fields, minus what it works out itself (the input example
 * info and the size), plus the example rows.
 *
 * @example const options: SaveMlmodelOptions = { modelUuid, createdAt: Date.now(), flavors, inputExample: [{ hour: 8 }] };
 */
export type SaveMlmodelOptions = Omit<MlmodelFields, 'inputExample' | 'sizeBytes'> & {
  /** Rows to save as `input_example.json` / `serving_input_example.json`. */
  inputExample?: readonly Record<string, unknown>[];
};

/**
 * Turns a directory of model files into an MLflow model, as a flavor's `save_model` does: writes the
 * input example files (when rows are given), then `model_size_bytes` = the size of every file in the
 * directory at that point (MLflow measures before writing the MLmodel, so the MLmodel itself is not
 * counted), then the MLmodel. Writes into `dir`: give it a staging copy, not the user's folder. Returns
 * the MLmodel text.
 *
 * @example await saveMlmodel(stagingDir, { artifactPath: 'model', runId, modelUuid, createdAt: Date.now(), flavors, signature, inputExample: rows });
 */
export async function saveMlmodel(dir: string, options: SaveMlmodelOptions): Promise<string> {
  const { inputExample, ...fields } = options;
  await fs.rm(join(dir, MLMODEL_FILE), { force: true }); // a stale MLmodel would count in the size
  let info: MlmodelFields['inputExample'];
  if (inputExample) {
    const example = inputExampleFiles(inputExample);
    for (const [name, text] of Object.entries(example.files)) await fs.writeFile(join(dir, name), text);
    info = example.info;
  }
  const text = mlmodelYaml({ ...fields, ...(info ? { inputExample: info } : {}), sizeBytes: await totalFileSize(dir) });
  await fs.writeFile(join(dir, MLMODEL_FILE), text);
  return text;
}

/**
 * The bytes of every regular file under `dir`, recursively (MLflow's `get_total_file_size`); symlinks
 * are not followed.
 *
 * @example await totalFileSize('out/model'); // 2048
 */
export async function totalFileSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await totalFileSize(path);
    else if (entry.isFile()) total += (await fs.stat(path)).size;
  }
  return total;
}
