import { ErrorCodes, ModelLoadError } from '../errors';

/**
 * The default bound on a model's files, all together: 512 MiB. A model is read into memory to be scored,
 * so a larger one (or a file that only claims to be a model) would cost a long-lived service its memory.
 *
 * @example const bound = options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES;
 */
export const DEFAULT_MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * One file of a model and its size in bytes, as a listing or `stat` reports it (never by reading it).
 *
 * @example const file: ModelFileSize = { path: 'model.onnx', bytes: 1090 };
 */
export interface ModelFileSize {
  /** The file's path in the model, `/`-separated. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
}

/**
 * The size bound of a model, checked on sizes alone: a file over `maxBytes`, or files that add up to more,
 * is a ModelLoadError (MODEL_TOO_LARGE) naming the model, the file and the bound, before any of it is read.
 * The one rule for the listing before a download and the files after it.
 *
 * @example checkModelSize('models:/bike-demand/3', [{ path: 'model.json', bytes: 812 }], DEFAULT_MAX_MODEL_BYTES);
 */
export function checkModelSize(modelUri: string, files: readonly ModelFileSize[], maxBytes: number): void {
  let total = 0;
  for (const file of files) {
    if (file.bytes > maxBytes) tooLarge(modelUri, `its file ${file.path} is ${formatBytes(file.bytes)}`, file.bytes, maxBytes);
    total += file.bytes;
  }
  if (total > maxBytes) tooLarge(modelUri, `its ${files.length} files add up to ${formatBytes(total)}`, total, maxBytes);
}

function tooLarge(modelUri: string, what: string, bytes: number, maxBytes: number): never {
  throw new ModelLoadError(
    `${modelUri}: ${what}, over the model size bound of ${formatBytes(maxBytes)}; raise maxModelBytes if the model really is that large.`,
    ErrorCodes.MODEL_TOO_LARGE,
    { details: { modelUri, bytes, maxBytes } },
  );
}

/** Sizes as a person reads them: binary units, one decimal above bytes. */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}
