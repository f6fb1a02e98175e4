import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { maskSecrets } from '../../../src/infrastructure/config';
import { Redactor } from '../../../src/infrastructure/logging';
import { createArtifactStore } from '../../../src/infrastructure/tracking/artifacts/create-artifact-store';
import { resolveMlflowSettings } from '../../../src/infrastructure/tracking/mlflow';
import { redactText } from '../../../src/infrastructure/tracking/shared/redact';

/** Credentials in places people do not expect them: echoed by a server, or unencoded in a URI. */
describe('secrets never reach an error or output', () => {
  it('a token the artifact proxy echoes in its error is scrubbed from the error', async () => {
    const token = 'sk_live_abcdef123456';
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'PERMISSION_DENIED', message: `token ${token} lacks permission` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mlops-echo-'));
    try {
      const file = path.join(dir, 'model.json');
      await writeFile(file, '{}');
      const store = createArtifactStore('mlflow-artifacts:/1/run/artifacts', { trackingUri: uri, secrets: [token] });
      const error = (await store.upload(file).catch((e: unknown) => e)) as Error & { details?: unknown };
      expect(error.message).toContain('lacks permission');
      expect(`${error.message} ${JSON.stringify(error.details)} ${error.stack}`).not.toContain(token);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a password with an unencoded "/" in the tracking URI becomes Basic auth and leaves the URI', () => {
    const settings = resolveMlflowSettings({ uri: 'https://bob:Xy7/Qz+9@mlflow.example.com' }, {});
    expect(settings.trackingUri).toBe('https://mlflow.example.com');
    expect(settings.auth).toEqual({ kind: 'basic', username: 'bob', password: 'Xy7/Qz+9' });
  });

  it('every masker hides such a password: --print-config, log redaction, error text', () => {
    const uri = 'https://bob:Xy7/Qz+9@mlflow.example.com/api';
    expect(JSON.stringify(maskSecrets({ tracking: { uri } } as never))).not.toContain('Qz+9');
    expect(new Redactor([]).text(`connecting to ${uri}`)).not.toContain('Qz+9');
    expect(redactText(`failed: ${uri}`, [])).not.toContain('Qz+9');
  });
});
