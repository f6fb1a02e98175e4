import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ErrorCodes, NotFoundError, StoreCorruptError } from '../../../domain/errors';
import type { ColumnSpec, ColumnType, ModelSignature } from '../../../domain/model/logged-model';
import { MLMODEL_FILE, MLOPS_KIT_FLAVOR, type MlopsKitFlavor } from './mlmodel-file';
import { PYYAML_SCHEMA } from './pyyaml-dump';

/**
 * An MLmodel file as read back: the fields mlops-kit uses, in camelCase. `signature` is undefined when
 * the file has none or when it is not a column signature mlops-kit understands (tensor specs, nested
 * types): reading a model logged by another tool must not fail on a signature the loader never uses.
 *
 * @example const model = parseMlmodel(text, 'out/model/MLmodel'); model.flavors.mlops_kit?.loader;
 */
export interface ParsedMlmodel {
  flavors: Record<string, Record<string, unknown>>;
  artifactPath?: string;
  runId?: string;
  modelId?: string;
  modelUuid?: string;
  utcTimeCreated?: string;
  mlflowVersion?: string;
  sizeBytes?: number;
  signature?: ModelSignature;
  savedInputExampleInfo?: Record<string, unknown>;
}

const optionalText = z.string().nullish().transform((v) => v ?? undefined);
const mlmodelSchema = z.object({
  flavors: z.record(z.string(), z.record(z.string(), z.unknown())),
  artifact_path: optionalText,
  run_id: optionalText,
  model_id: optionalText,
  model_uuid: optionalText,
  // PyYAML quotes it, but a hand-edited file may leave it plain, which YAML 1.1 reads as a timestamp
  utc_time_created: z.union([z.string(), z.date().transform((d) => d.toISOString())]).nullish().transform((v) => v ?? undefined),
  mlflow_version: z.union([z.string(), z.number().transform(String)]).nullish().transform((v) => v ?? undefined),
  model_size_bytes: z.number().int().nonnegative().nullish().transform((v) => v ?? undefined),
  signature: z.object({ inputs: z.string().nullish(), outputs: z.string().nullish() }).nullish(),
  saved_input_example_info: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? undefined),
});

const COLUMN_TYPES: readonly ColumnType[] = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'];
const colSpecSchema = z.object({ type: z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]]), name: z.string().optional(), required: z.boolean().optional() });

/**
 * Parses and checks MLmodel text. Anything that is not an MLmodel (not YAML, not a mapping, no `flavors`
 * mapping, a signature that is not JSON) is a StoreCorruptError naming `file` and the key path.
 *
 * @example const model = parseMlmodel(await fs.readFile(file, 'utf8'), file);
 */
export function parseMlmodel(text: string, file: string): ParsedMlmodel {
  let value: unknown;
  try {
    value = parse(text, PYYAML_SCHEMA);
  } catch (error) {
    throw broken(file, `it is not valid YAML (${(error as Error).message.split('\n')[0]})`, error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw broken(file, 'it does not hold a YAML mapping');
  const checked = mlmodelSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw broken(file, `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const m = checked.data;
  const model: ParsedMlmodel = { flavors: m.flavors };
  const optional = {
    artifactPath: m.artifact_path,
    runId: m.run_id,
    modelId: m.model_id,
    modelUuid: m.model_uuid,
    utcTimeCreated: m.utc_time_created,
    mlflowVersion: m.mlflow_version,
    sizeBytes: m.model_size_bytes,
    signature: m.signature ? signatureOf(m.signature, file) : undefined,
    savedInputExampleInfo: m.saved_input_example_info,
  };
  for (const [key, v] of Object.entries(optional)) if (v !== undefined) (model as unknown as Record<string, unknown>)[key] = v;
  return model;
}

/**
 * Reads `<modelDir>/MLmodel`. No file is a NotFoundError (ARTIFACT_NOT_FOUND) naming it; a broken one a
 * StoreCorruptError from {@link parseMlmodel}.
 *
 * @example const model = await readMlmodel('/tmp/downloads/model');
 */
export async function readMlmodel(modelDir: string): Promise<ParsedMlmodel> {
  const file = join(modelDir, MLMODEL_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NotFoundError(
        `${file} does not exist: the directory is not an MLflow model. Log the model with mlops-kit (tracker.logModel) or point at the folder that holds the MLmodel file.`,
        ErrorCodes.ARTIFACT_NOT_FOUND,
        { details: { file }, cause: error },
      );
    }
    throw broken(file, `it cannot be read (${code ?? (error as Error).message})`, error);
  }
  return parseMlmodel(text, file);
}

/**
 * The `mlops_kit` flavor of a parsed MLmodel, checked; a model saved by another tool (no such flavor)
 * is a StoreCorruptError that lists the flavors it has.
 *
 * @example const { loader, data } = mlopsKitFlavorOf(await readMlmodel(dir), join(dir, 'MLmodel'));
 */
export function mlopsKitFlavorOf(model: ParsedMlmodel, file: string): MlopsKitFlavor {
  const flavor = model.flavors[MLOPS_KIT_FLAVOR];
  if (!flavor) {
    const has = Object.keys(model.flavors).join(', ') || 'none';
    throw broken(file, `it has no ${MLOPS_KIT_FLAVOR} flavor (flavors: ${has}), so it was not saved by mlops-kit and mlops-kit cannot load it`);
  }
  if (typeof flavor.loader !== 'string' || flavor.loader === '') throw broken(file, `flavors.${MLOPS_KIT_FLAVOR}.loader: expected the name of a loader`);
  if (flavor.data !== undefined && typeof flavor.data !== 'string') throw broken(file, `flavors.${MLOPS_KIT_FLAVOR}.data: expected a file name`);
  return { ...flavor, loader: flavor.loader, mlops_kit_version: String(flavor.mlops_kit_version ?? ''), ...(flavor.data === undefined ? {} : { data: flavor.data }) };
}

function signatureOf(raw: { inputs?: string | null; outputs?: string | null }, file: string): ModelSignature | undefined {
  const inputs = columns(raw.inputs, 'signature.inputs', file);
  const outputs = columns(raw.outputs, 'signature.outputs', file);
  if (inputs === 'other' || outputs === 'other') return undefined;
  if (!inputs && !outputs) return undefined;
  return outputs ? { inputs: inputs ?? [], outputs } : { inputs: inputs ?? [] };
}

/** The column specs in a signature JSON string; 'other' for a valid schema of a kind mlops-kit does not model. */
function columns(json: string | null | undefined, keyPath: string, file: string): ColumnSpec[] | 'other' | undefined {
  if (json === null || json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw broken(file, `${keyPath}: not a JSON list of column specs (${(error as Error).message})`, error);
  }
  if (!Array.isArray(value)) throw broken(file, `${keyPath}: expected a JSON list of column specs`);
  const specs: ColumnSpec[] = [];
  for (const item of value) {
    const spec = colSpecSchema.safeParse(item);
    if (!spec.success) return 'other';
    specs.push(spec.data);
  }
  return specs;
}

function broken(file: string, why: string, cause?: unknown): StoreCorruptError {
  return new StoreCorruptError(`${file} is not a valid MLmodel file: ${why}. Re-log the model, or fix the file by hand.`, {
    details: { file },
    ...(cause === undefined ? {} : { cause }),
  });
}
