import {
  ConflictError,
  ErrorCodes,
  NotFoundError,
  RemoteError,
  TrackerUnavailableError,
  UnauthorizedError,
  ValidationError,
  type MlopsError,
} from '../../../src/domain/errors';
import { HttpFailure, MlflowRestClient, MlflowTracker, mapHttpError, redactText } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';

describe('MLflow error mapping (error_code → domain error)', () => {
  let server: MlflowTestServer;
  let client: MlflowRestClient;
  beforeAll(async () => {
    server = await MlflowTestServer.start();
    // one client for many failure cases: no circuit breaker, so each case reaches the server
    client = new MlflowRestClient(fastSettings(server, { maxRetries: 1 }), { circuitCooldownMs: 0 });
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });
  beforeEach(() => server.faults.clear());

  const failure = (call: Promise<unknown>): Promise<MlopsError> => call.then(() => { throw new Error('expected a failure'); }, (e: MlopsError) => e);
  const getRun = (): Promise<unknown> => client.request('GET', 'runs/get', { query: { run_id: 'abc' }, notFoundCode: ErrorCodes.RUN_NOT_FOUND });

  it.each([
    [404, 'RESOURCE_DOES_NOT_EXIST', NotFoundError, ErrorCodes.RUN_NOT_FOUND],
    [404, 'ENDPOINT_NOT_FOUND', NotFoundError, ErrorCodes.NOT_FOUND],
    [400, 'RESOURCE_ALREADY_EXISTS', ConflictError, ErrorCodes.ALREADY_EXISTS],
    [400, 'INVALID_PARAMETER_VALUE', ValidationError, ErrorCodes.VALIDATION],
    [400, 'BAD_REQUEST', ValidationError, ErrorCodes.VALIDATION],
    [401, 'UNAUTHENTICATED', UnauthorizedError, ErrorCodes.UNAUTHORIZED],
    [403, 'PERMISSION_DENIED', UnauthorizedError, ErrorCodes.FORBIDDEN],
    [409, 'RESOURCE_CONFLICT', ConflictError, ErrorCodes.CONFLICT],
    [503, 'TEMPORARILY_UNAVAILABLE', TrackerUnavailableError, ErrorCodes.TRACKER_UNAVAILABLE],
    [500, 'INTERNAL_ERROR', TrackerUnavailableError, ErrorCodes.TRACKER_UNAVAILABLE],
    [400, 'SOMETHING_NEW', RemoteError, ErrorCodes.REMOTE_ERROR],
  ])('%i %s → %p (%s), keeping the message, naming method and route', async (status, errorCode, type, code) => {
    server.failFor(10_000, { status, errorCode, message: `server says ${errorCode}` });
    const error = await failure(getRun());
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.message).toContain(`server says ${errorCode}`);
    expect(error.message).toContain('GET runs/get');
    expect(error.message).toContain(server.uri);
    expect(error.details).toMatchObject({ method: 'GET', route: 'runs/get', status, errorCode });
    expect(error.cause).toBeInstanceOf(HttpFailure);
  });

  it('maps the real server answers: missing run, duplicate experiment, bad JSON content type', async () => {
    expect(await failure(getRun())).toMatchObject({ code: ErrorCodes.RUN_NOT_FOUND, message: expect.stringContaining("Run 'abc' not found") });
    await client.request('POST', 'experiments/create', { body: { name: 'dup' } });
    expect(await failure(client.request('POST', 'experiments/create', { body: { name: 'dup' } }))).toBeInstanceOf(ConflictError);
    const badType = await failure(
      client.http.post('api/2.0/mlflow/experiments/create', 'name=x', { headers: { 'Content-Type': 'text/plain' } }).catch((e: unknown) => {
        throw mapHttpError(e, { method: 'POST', route: 'experiments/create', uri: server.uri });
      }),
    );
    expect(badType).toBeInstanceOf(ValidationError);
    expect(badType.message).toMatch(/Content-Type must be/);
  });

  it('maps by error_code only: a changed param is a 400 INVALID_PARAMETER_VALUE → ValidationError at the wire, whatever the wording', async () => {
    const { run } = await client.request<{ run: { info: { run_id: string } } }>('POST', 'runs/create', { body: { experiment_id: '0' } });
    const log = (value: string): Promise<unknown> => client.request('POST', 'runs/log-batch', { body: { run_id: run.info.run_id, params: [{ key: 'alpha', value }] } });
    await log('0.1');
    await log('0.1');
    const error = await failure(log('0.2'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
    // the same code with another wording (3.x words things differently) maps the same way
    server.failNext(1, { status: 400, errorCode: 'INVALID_PARAMETER_VALUE', message: 'Changing param values is not allowed.' });
    expect(await failure(client.request('POST', 'experiments/create', { body: { name: 'x' } }))).toBeInstanceOf(ValidationError);
  });

  it('the tracker tells a changed param from other bad input by the run\'s stored params: ConflictError', async () => {
    const tracker = new MlflowTracker(fastSettings(server, { maxRetries: 1 }));
    await tracker.start();
    const { runId } = await tracker.createRun();
    await tracker.logParam(runId, 'alpha', '0.1');
    await tracker.flush(runId);
    await tracker.logParam(runId, 'alpha', '0.2');
    const error = await failure(tracker.flush(runId));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe(ErrorCodes.CONFLICT);
    expect(error.message).toMatch(/"alpha".*write-once/);
    await tracker.stop().catch(() => undefined);
  });

  it.each([
    [404, NotFoundError, /no such route .*MLflow server/],
    [405, RemoteError, /Method Not Allowed/],
    [502, TrackerUnavailableError, /Bad Gateway/],
    [401, UnauthorizedError, /MLFLOW_TRACKING_USERNAME/],
  ])('maps a non-JSON %i body by its status', async (status, type, text) => {
    server.faults.add({ kind: 'status', status, text: `<html><title>${status} ${status === 404 ? 'Not Found' : status === 405 ? 'Method Not Allowed' : status === 502 ? 'Bad Gateway' : 'Unauthorized'}</title></html>` }, { forMs: 10_000 });
    const error = await failure(getRun());
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(text);
  });

  it('model-versions/search is GET only: a POST gets the HTML 405 page, mapped to RemoteError', async () => {
    const error = await failure(client.request('POST', 'model-versions/search', { body: { filter: "name='m'" } }));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.details).toMatchObject({ status: 405 });
  });

  it('reports a redirect (login proxy, http→https) instead of following it with the credentials', async () => {
    server.faults.add({ kind: 'status', status: 302, text: '', headers: { Location: 'https://login.example.com/' } }, { times: 1 });
    const error = await failure(getRun());
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.message).toMatch(/redirect \(302\).*MLFLOW_TRACKING_URI/);
    expect(server.requests.filter((r) => r.route === 'runs/get').length).toBeGreaterThan(0);
  });

  it('redacts secrets, user:pass@ and credentials from text a server echoes, not ordinary words', () => {
    const text = 'GET http://ana:pw1@host:5000/x with Authorization: Basic YW5hOnB3MQ== and Bearer tok-123456; Basic authentication; leaked pw1';
    const clean = redactText(text, ['pw1']);
    expect(clean).toBe('GET http://***@host:5000/x with Authorization: Basic *** and Bearer ***; Basic authentication; leaked ***');
  });
});
