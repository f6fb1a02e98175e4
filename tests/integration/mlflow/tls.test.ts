import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, TrackerUnavailableError } from '../../../src/domain/errors';
import { MlflowRestClient, buildTlsAgentOptions } from '../../../src/infrastructure/tracking/mlflow';
import { fastSettings } from '../../support/mlflow-server/client-settings';
import { MlflowTestServer } from '../../support/mlflow-server';
import { makeTestCertificates, type TestCertificates } from '../../support/mlflow-server/test-certs';

describe('TLS options of the MLflow client', () => {
  let dir: string;
  let certs: TestCertificates | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlflow-tls-'));
    certs = makeTestCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('agent options', () => {
    it('turns verification off for insecure TLS, and only then', () => {
      expect(buildTlsAgentOptions({ insecure: true })).toEqual({ rejectUnauthorized: false });
      expect(buildTlsAgentOptions({ insecure: false })).toEqual({});
    });

    it('trusts the CA bundle from the server cert path', () => {
      const ca = path.join(dir, 'bundle.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      expect(buildTlsAgentOptions({ insecure: false, serverCertPath: ca })).toEqual({ ca: expect.stringContaining('BEGIN CERTIFICATE') });
    });

    it('passes one client PEM as both certificate and key, and refuses a PEM without a key', () => {
      const pem = path.join(dir, 'client-only-cert.pem');
      writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      expect(() => buildTlsAgentOptions({ insecure: false, clientCertPath: pem })).toThrow(ConfigError);
      expect(() => buildTlsAgentOptions({ insecure: false, clientCertPath: pem })).toThrow(/holds no private key/);
      const both = path.join(dir, 'both.pem');
      writeFileSync(both, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n');
      const options = buildTlsAgentOptions({ insecure: false, clientCertPath: both });
      expect(options.cert).toBe(options.key);
      expect(options.cert).toContain('PRIVATE KEY');
    });
  });

  describe('against a real HTTPS loopback server with a test CA', () => {
    let server: MlflowTestServer;
    const ping = async (client: MlflowRestClient): Promise<unknown> => {
      try {
        return await client.request('GET', 'experiments/get', { query: { experiment_id: '0' } });
      } finally {
        client.close();
      }
    };

    afterEach(async () => {
      await server?.stop();
    });

    it('fails the handshake with an untrusted certificate, with a hint, and without retrying', async () => {
      if (!certs) return; // openssl not installed
      server = await MlflowTestServer.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      const error = await ping(new MlflowRestClient(fastSettings(server))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrackerUnavailableError);
      expect((error as Error).message).toMatch(/TLS handshake .* failed/);
      expect((error as Error).message).toMatch(/MLFLOW_TRACKING_SERVER_CERT_PATH/);
      expect(server.requests).toHaveLength(0);
    });

    it('connects when the CA is trusted through MLFLOW_TRACKING_SERVER_CERT_PATH', async () => {
      if (!certs) return;
      server = await MlflowTestServer.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      const settings = fastSettings(server, {}, { MLFLOW_TRACKING_SERVER_CERT_PATH: certs.caPath });
      await expect(ping(new MlflowRestClient(settings))).resolves.toMatchObject({ experiment: { name: 'Default' } });
    });

    it('connects with MLFLOW_TRACKING_INSECURE_TLS=true without trusting the CA', async () => {
      if (!certs) return;
      server = await MlflowTestServer.start({ tls: { key: certs.serverKey, cert: certs.serverCert } });
      const settings = fastSettings(server, {}, { MLFLOW_TRACKING_INSECURE_TLS: 'true' });
      await expect(ping(new MlflowRestClient(settings))).resolves.toMatchObject({ experiment: { name: 'Default' } });
    });

    it('presents the client certificate from MLFLOW_TRACKING_CLIENT_CERT_PATH to a server that demands one', async () => {
      if (!certs) return;
      server = await MlflowTestServer.start({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true } });
      const withoutCert = fastSettings(server, { maxRetries: 0 }, { MLFLOW_TRACKING_SERVER_CERT_PATH: certs.caPath });
      await expect(ping(new MlflowRestClient(withoutCert))).rejects.toBeInstanceOf(TrackerUnavailableError);
      const withCert = fastSettings(server, {}, { MLFLOW_TRACKING_SERVER_CERT_PATH: certs.caPath, MLFLOW_TRACKING_CLIENT_CERT_PATH: certs.clientPemPath });
      await expect(ping(new MlflowRestClient(withCert))).resolves.toMatchObject({ experiment: { name: 'Default' } });
      expect(server.requests).toHaveLength(1);
    });
  });
});
