import type * as Ort from 'onnxruntime-node';
import { ConfigError, ErrorCodes } from '../../../domain/errors';

/**
 * onnxruntime-node, the native runtime that scores ONNX models. It is an optional peer dependency
 * (~290 MB of prebuilt binaries, not every app scores models): required here on the first model load,
 * so an app that never loads an ONNX model never needs it. Missing → ConfigError ADAPTER_NOT_AVAILABLE
 * with the one command that fixes it; installed but unloadable (a broken native binary) → the same code
 * with onnxruntime's own first line. Versions before 1.22 do not report a model's input shapes
 * (`session.inputMetadata`), which the onnx flavor needs to feed a table: the same error asks for a newer one.
 *
 * @example const { InferenceSession } = loadOnnxRuntime();
 */
export function loadOnnxRuntime(): typeof Ort {
  let ort: typeof Ort;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ort = require('onnxruntime-node') as typeof Ort;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const missing = code === 'MODULE_NOT_FOUND' && message.includes("'onnxruntime-node'");
    throw new ConfigError(
      missing
        ? 'Scoring an ONNX model needs onnxruntime-node: npm install onnxruntime-node'
        : `Scoring an ONNX model needs onnxruntime-node, which is installed but failed to load (${firstLine(message)}): reinstall it with npm install onnxruntime-node`,
      ErrorCodes.ADAPTER_NOT_AVAILABLE,
      { cause: error },
    );
  }
  return ort;
}

/**
 * Checks that the loaded onnxruntime reports input and output shapes (onnxruntime-node ≥ 1.22).
 *
 * @example assertReportsShapes(session, ort.env.versions.node);
 */
export function assertReportsShapes(session: Ort.InferenceSession, version: string | undefined): void {
  if (Array.isArray(session.inputMetadata) && Array.isArray(session.outputMetadata)) return;
  throw new ConfigError(
    `Scoring an ONNX model needs onnxruntime-node 1.22 or later (found ${version ?? 'an older one'}): npm install onnxruntime-node@latest`,
    ErrorCodes.ADAPTER_NOT_AVAILABLE,
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
