import { ErrorCodes, TrackerUnavailableError } from '../../../src/domain/errors';
import { datasetInputToWire, loggedModelStatusToWire, newLoggedModelToWire, parseRunInputs, parseRunOutputs, toLoggedModel } from '../../../src/infrastructure/tracking/mlflow/logged-model-mapping';

/**
 * The wire ⇄ domain mapping of MLflow 3's logged models and run inputs/outputs, on the shapes real
 * servers send that the loopback server does not (numeric strings for int64, omitted empty messages,
 * an unset enum), and on what the domain sends.
 */
describe('logged-model-mapping', () => {
  const info = { model_id: 'm-1', experiment_id: '1', name: 'model', artifact_uri: 'mlflow-artifacts:/1/models/m-1/artifacts' };

  it('reads a minimal LoggedModel: no data, no tags, no timestamps, status unset → PENDING', () => {
    expect(toLoggedModel({ info }, 'logged-models')).toEqual({
      modelId: 'm-1', name: 'model', experimentId: '1', sourceRunId: undefined, artifactUri: info.artifact_uri, modelUri: 'models:/m-1',
      status: 'PENDING', creationTimestamp: 0, lastUpdatedTimestamp: 0, modelType: undefined, params: {}, tags: {},
    });
  });

  it('reads int64 written as strings, every status name, a tag whose empty value proto2 left out', () => {
    const read = (status: string) =>
      toLoggedModel({ info: { ...info, status, creation_timestamp_ms: '1700000000000', tags: [{ key: 'note' }] }, data: { params: [{ key: 'a', value: '1' }] } }, 'r');
    expect(read('LOGGED_MODEL_READY')).toMatchObject({ status: 'READY', creationTimestamp: 1700000000000, lastUpdatedTimestamp: 1700000000000, tags: { note: '' }, params: { a: '1' } });
    expect(read('LOGGED_MODEL_UPLOAD_FAILED').status).toBe('FAILED');
    expect(read('LOGGED_MODEL_PENDING').status).toBe('PENDING');
  });

  it('a timestamp that is not a number, or an id that is empty, is a typed error naming the field', () => {
    const bad = (value: unknown, field: string) => {
      let error: unknown;
      try {
        toLoggedModel(value, 'logged-models/m-1');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect(error).toMatchObject({ code: ErrorCodes.TRACKER_UNAVAILABLE, details: { route: 'logged-models/m-1', field } });
    };
    bad({ info: { ...info, creation_timestamp_ms: 'yesterday' } }, 'model.info.creation_timestamp_ms');
    bad({ info: { ...info, model_id: '' } }, 'model.info.model_id');
    bad({ info, data: [] }, 'model.data');
    bad(null, 'model');
  });

  it('writes statuses, a create body and a dataset input as MLflow reads them (empty lists left out)', () => {
    expect(['READY', 'FAILED', 'PENDING'].map((s) => loggedModelStatusToWire(s as 'READY'))).toEqual(['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED', 'LOGGED_MODEL_PENDING']);
    expect(JSON.parse(JSON.stringify(newLoggedModelToWire({ experimentId: '1', name: 'm', params: {}, tags: {} })))).toEqual({ experiment_id: '1', name: 'm' });
    expect(JSON.parse(JSON.stringify(datasetInputToWire({ dataset: { name: 'd', digest: 'x', sourceType: 'local', source: '{}' }, tags: {} })))).toEqual({
      dataset: { name: 'd', digest: 'x', source_type: 'local', source: '{}' },
    });
  });

  it('run inputs and outputs: absent → undefined, {} → empty lists, step defaults to 0, model_inputs ignored', () => {
    expect(parseRunInputs(undefined)).toBeUndefined();
    expect(parseRunOutputs(undefined)).toBeUndefined();
    expect(parseRunInputs({ model_inputs: [{ model_id: 'm-1' }] })).toEqual({ datasetInputs: [] });
    expect(parseRunOutputs({ model_outputs: [{ model_id: 'm-1' }] })).toEqual({ modelOutputs: [{ modelId: 'm-1', step: 0 }] });
    expect(() => parseRunOutputs({ model_outputs: [{ step: 1 }] }, 'runs/search', 'runs[0].outputs')).toThrow(
      expect.objectContaining({ details: { route: 'runs/search', field: 'runs[0].outputs.model_outputs[0].model_id', malformed: true } }),
    );
  });
});
