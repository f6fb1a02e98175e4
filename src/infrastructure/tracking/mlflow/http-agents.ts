import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { MlflowTlsSettings } from './mlflow-settings';

/**
 * TLS options for the https agent, mirroring MLflow's client: MLFLOW_TRACKING_INSECURE_TLS turns
 * verification off, MLFLOW_TRACKING_SERVER_CERT_PATH is the CA bundle to trust, and
 * MLFLOW_TRACKING_CLIENT_CERT_PATH is one PEM holding the client certificate and its key (what
 * Python's `requests` accepts as `cert=path`), so it is passed as both `cert` and `key`.
 *
 * @example
 * new https.Agent({ keepAlive: true, ...buildTlsAgentOptions({ insecure: false, serverCertPath: '/etc/ca.pem' }) });
 */
export function buildTlsAgentOptions(tls: MlflowTlsSettings): https.AgentOptions {
  const options: https.AgentOptions = {};
  if (tls.insecure) options.rejectUnauthorized = false;
  if (tls.serverCertPath) options.ca = readPem(tls.serverCertPath, 'MLFLOW_TRACKING_SERVER_CERT_PATH');
  if (tls.clientCertPath) {
    const pem = readPem(tls.clientCertPath, 'MLFLOW_TRACKING_CLIENT_CERT_PATH');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      throw new ConfigError(
        `MLFLOW_TRACKING_CLIENT_CERT_PATH: ${tls.clientCertPath} holds no private key. Put the client certificate and its key in one PEM file.`,
        ErrorCodes.CONFIG_INVALID,
        { details: { path: tls.clientCertPath } },
      );
    }
    options.cert = pem;
    options.key = pem;
  }
  return options;
}

export interface HttpAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  destroy(): void;
}

/** Keep-alive agents: a run logs many small batches, and a new TLS handshake per batch is the slow part. */
export function createHttpAgents(tls: MlflowTlsSettings): HttpAgents {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true, ...buildTlsAgentOptions(tls) });
  return {
    httpAgent,
    httpsAgent,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function readPem(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${variable}: cannot read ${file} (${code}). Point it at a readable PEM file.`, ErrorCodes.CONFIG_INVALID, {
      details: { path: file },
    });
  }
}
