import { checkModelSize, DEFAULT_MAX_MODEL_BYTES, ErrorCodes } from '../../../src/domain';

describe('checkModelSize', () => {
  it('passes files within the bound, one by one and together', () => {
    expect(() => checkModelSize('models:/m/1', [{ path: 'a', bytes: 600 }, { path: 'b', bytes: 400 }], 1000)).not.toThrow();
    expect(() => checkModelSize('models:/m/1', [], 0)).not.toThrow();
  });

  it('refuses one file over the bound, naming it and both sizes', () => {
    expect(() => checkModelSize('models:/m/1', [{ path: 'model.onnx', bytes: 3 * 1024 ** 3 }], DEFAULT_MAX_MODEL_BYTES)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.MODEL_TOO_LARGE,
        message: 'models:/m/1: its file model.onnx is 3 GiB, over the model size bound of 512 MiB; raise maxModelBytes if the model really is that large.',
        details: { modelUri: 'models:/m/1', bytes: 3 * 1024 ** 3, maxBytes: DEFAULT_MAX_MODEL_BYTES },
      }),
    );
  });

  it('refuses files that add up to more than the bound', () => {
    expect(() => checkModelSize('runs:/r/model', [{ path: 'a', bytes: 700 }, { path: 'b', bytes: 700 }], 1024)).toThrow(
      expect.objectContaining({ code: ErrorCodes.MODEL_TOO_LARGE, message: expect.stringMatching(/^runs:\/r\/model: its 2 files add up to 1.4 KiB, over the model size bound of 1 KiB;/) }),
    );
  });
});
