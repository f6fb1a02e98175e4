import { ConfigError, ErrorCodes, HTTP_STATUS_BY_CODE, httpStatusOf, ModelLoadError, NotFoundError, TrackerUnavailableError, ValidationError } from 'mlops-kit';

describe('httpStatusOf: one table from error codes to HTTP statuses', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCodes)) expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(Object.values(ErrorCodes).sort());
  });

  it("maps the caller's mistakes to 4xx and this side's faults to 5xx", () => {
    expect(httpStatusOf(new ValidationError('bad column', ErrorCodes.MODEL_INPUT_INVALID))).toBe(400);
    expect(httpStatusOf(new ConfigError('job.alais: unknown key'))).toBe(400);
    expect(httpStatusOf(new NotFoundError('no alias', ErrorCodes.MODEL_ALIAS_NOT_FOUND))).toBe(404);
    expect(httpStatusOf(new ModelLoadError('nothing loaded yet', ErrorCodes.MODEL_NOT_READY))).toBe(503);
    expect(httpStatusOf(new TrackerUnavailableError('down'))).toBe(503);
  });

  it('reads the code by shape (an error from another copy of the package) and gives 500 to anything else', () => {
    const foreign = Object.assign(new Error('from the CLI bundle'), { code: 'MODEL_VERSION_NOT_FOUND' });
    expect(httpStatusOf(foreign)).toBe(404);
    expect(httpStatusOf(Object.assign(new Error('fs'), { code: 'ENOENT' }))).toBe(500);
    expect(httpStatusOf(new TypeError('bug'))).toBe(500);
    expect(httpStatusOf('a string')).toBe(500);
  });
});
