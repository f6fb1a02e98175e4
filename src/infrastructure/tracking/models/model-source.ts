import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { LogModelRequest } from '../../../domain/model/logged-model';
import { onnxModelBytes } from '../../models/onnx/onnx-encoder';
import { ONNX_MODEL_FILE, onnxFlavors } from './onnx-model-files';

/**
 * A logModel request's sources, checked before anything is created: `path` a directory, `onnx` a valid
 * graph or ONNX file (returned as the bytes to save), at least one of them, and no clash between them
 * (a `model.onnx` already in `path`, or `flavors` that would redefine the two ONNX flavors). Each
 * problem is a ValidationError naming the field.
 *
 * @example const onnxBytes = await checkedSource(request); // undefined when the request has no onnx
 */
export async function checkedSource(request: LogModelRequest): Promise<Uint8Array | undefined> {
  if (request.path !== undefined) await assertDirectory(request.path);
  if (request.onnx === undefined) {
    if (request.path === undefined) invalid('logModel: give path (the directory of the model\'s files) or onnx (an OnnxGraph or the bytes of a .onnx file)', {});
    return undefined;
  }
  const clash = Object.keys(request.flavors ?? {}).find((flavor) => flavor in onnxFlavors());
  if (clash !== undefined) invalid(`logModel: flavors.${clash} is written from onnx; leave it out of flavors`, { flavor: clash });
  if (request.path !== undefined && (await stat(path.join(request.path, ONNX_MODEL_FILE)).catch(() => undefined))) {
    invalid(`logModel: ${path.join(request.path, ONNX_MODEL_FILE)} exists and onnx is given too; pass the model once (drop onnx, or the file)`, { path: request.path });
  }
  return onnxModelBytes(request.onnx);
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new ValidationError(`${message}.`, ErrorCodes.VALIDATION, { details });
}

async function assertDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new ValidationError(
    `logModel: ${dir} ${info ? 'is a file' : 'does not exist'}; pass the directory holding the model's files.`,
    ErrorCodes.INVALID_PATH,
    { details: { path: dir } },
  );
}
